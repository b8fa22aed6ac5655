import { z } from "zod";
import { parseBillingGroupRef } from "@/lib/ids";
import { isPeriod } from "@/lib/periods/rules";

// `Send Statement` (R39): the billing group (its id, or `unassigned`) and the closed period shown.

export const billingGroupKeySchema = z
  .string()
  .trim()
  .refine((value) => parseBillingGroupRef(value) !== null, {
    message: "That billing group no longer exists. Reload to see the current state.",
  });

export const sendStatementSchema = z.object({
  billingGroup: billingGroupKeySchema,
  period: z.string().trim().refine(isPeriod, { message: "Choose a period (YYYY-MM)." }),
});

export type SendStatementInput = z.infer<typeof sendStatementSchema>;
