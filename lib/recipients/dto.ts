// What the Recipients tab reads (R39): plain JSON, dates as text.
import { formatTimestamp } from "@/lib/billing-groups/rules";
import type { RecipientRow } from "./queries";

export type RecipientDto = { id: string; email: string; createdBy: string | null; createdAt: string };

export type RecipientsDto = {
  /** `id` is `unassigned` for the system group. A deleted group's recipients are read only. */
  billingGroup: { id: string; name: string; deleted: boolean };
  recipients: RecipientDto[];
};

export function toRecipientsDto(billingGroup: RecipientsDto["billingGroup"], rows: RecipientRow[]): RecipientsDto {
  return {
    billingGroup,
    recipients: rows.map((r) => ({ ...r, createdAt: formatTimestamp(r.createdAt) })),
  };
}
