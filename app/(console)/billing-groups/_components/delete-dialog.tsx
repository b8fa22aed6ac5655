"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
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
  const [confirm, setConfirm] = useState("");
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Delete ${group.name}`}
      description={`Its ${group.members} current member${group.members === 1 ? "" : "s"} return to Unassigned. Its name and usage records stay in history and exports.`}
    >
      <form onSubmit={call.submit({ period, id: group.id }, onClose)} className="flex flex-col gap-4" noValidate>
        <FormError message={call.error} />
        <Field
          label={`Type ${group.name} to confirm`}
          name="confirmName"
          autoComplete="off"
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
          errors={call.fieldErrors.confirmName}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={call.pending || confirm.trim() !== group.name}>
            Delete
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
