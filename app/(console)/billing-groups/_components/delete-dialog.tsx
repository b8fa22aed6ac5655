"use client";

import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { deleteBillingGroupAction } from "../actions";
import { FormError, typed } from "./form-status";

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
  const [state, formAction, pending] = useActionState(deleteBillingGroupAction, null);
  const [confirm, setConfirm] = useState("");
  useEffect(() => {
    if (state?.ok) onClose();
  }, [state, onClose]);
  useEffect(() => {
    if (state && !state.ok) setConfirm(typed(state, "confirmName"));
  }, [state]);
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Delete ${group.name}`}
      description={`Its ${group.members} current member${group.members === 1 ? "" : "s"} return to Unassigned. Its name and usage records stay in history and exports.`}
    >
      <form action={formAction} className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="period" value={period} />
        <input type="hidden" name="id" value={group.id} />
        <FormError state={state} />
        <Field
          label={`Type ${group.name} to confirm`}
          name="confirmName"
          autoComplete="off"
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
          errors={state && !state.ok ? state.fieldErrors?.confirmName : undefined}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending || confirm.trim() !== group.name}>
            Delete
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
