"use client";

import { TypeToConfirmDialog } from "@/components/ui/type-to-confirm-dialog";
import { useServerAction } from "@/components/ui/use-server-action";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { deleteBillingGroupAction } from "../actions";

/** R13: type the name to confirm; members return to Unassigned; usage history is kept. */
export function DeleteDialog({
  group,
  period,
  onClose,
}: {
  group: BillingGroupRowDto;
  period: string;
  onClose: () => void;
}) {
  const call = useServerAction(deleteBillingGroupAction, {
    fields: ["confirmName"],
    success: `Billing group “${group.name}” deleted.`,
  });
  return (
    <TypeToConfirmDialog
      onOpenChange={(open) => !open && onClose()}
      title={`Delete ${group.name}`}
      description={`Its ${group.members} current member${group.members === 1 ? "" : "s"} return to Unassigned. Its name and usage records stay in history and exports.`}
      name={group.name}
      call={call}
      input={{ period, id: group.id }}
      onDeleted={onClose}
    />
  );
}
