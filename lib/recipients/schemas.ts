import { z } from "zod";
import { billingGroupKeySchema } from "@/lib/statements/schemas";
import { text } from "@/lib/text";

// R39: the Recipients tab's form and Remove button, shared by the client and the server actions.
// `billingGroup` is a billing group id or `unassigned` (the system group has recipients too).

export const recipientEmailSchema = text({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "Use at most 254 characters.")
  .pipe(z.email({ message: "Enter a valid email address, e.g. finance@example.com." }));

// The period the tab showed: the action refuses a historical one (R23).
const period = z.string().min(1);

export const addRecipientSchema = z.object({
  period,
  billingGroup: billingGroupKeySchema,
  email: recipientEmailSchema,
});

export const removeRecipientSchema = z.object({
  period,
  billingGroup: billingGroupKeySchema,
  recipientId: z.uuid({ message: "That recipient no longer exists. Reload to see the current state." }),
});

export type AddRecipientInput = z.infer<typeof addRecipientSchema>;
export type RemoveRecipientInput = z.infer<typeof removeRecipientSchema>;
