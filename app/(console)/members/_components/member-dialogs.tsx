"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import { assignBillingGroupAction, setPersonalLimitAction } from "../actions";
import type { Option } from "./choices";

type Common = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  memberIds: string[];
  period: string;
  subject: string;
};

/** Assign / reassign / unassign the billing group of one or many members (R12), one transaction. */
export function AssignBillingGroupDialog({
  open,
  onOpenChange,
  memberIds,
  period,
  subject,
  billingGroups,
  initial,
  onDone,
}: Common & { billingGroups: Option[]; initial?: string; onDone?: () => void }) {
  const call = useServerAction(assignBillingGroupAction, {
    fields: ["billingGroupId"],
    success: (r) => `Billing group saved for ${r.assigned} member${r.assigned === 1 ? "" : "s"}.`,
    changed: () => memberIds,
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        call.reset();
        onOpenChange(next);
      }}
      title="Assign billing group"
      description={subject}
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={call.submit({ memberIds, period }, () => {
          onDone?.();
          onOpenChange(false);
        })}
      >
        <FormError message={call.error} />
        {/* Bulk assign has no default target: submitting without a choice asks for one. */}
        <Select
          label="Billing Group"
          name="billingGroupId"
          options={initial ? billingGroups : [{ value: "", label: "Choose a billing group…" }, ...billingGroups]}
          defaultValue={initial ?? ""}
          errors={call.fieldErrors.billingGroupId}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={call.pending}>
            Assign
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export const LIMIT_HINT =
  "Credits per period, up to 2 decimals. Empty: the billing group's Default Personal Limit applies, if it has one; otherwise the member cannot use Credits. 0 means the member cannot use Credits.";

/** Set the Personal Usage Limit of one or many members (R18), one transaction. */
export function PersonalLimitDialog({
  open,
  onOpenChange,
  memberIds,
  period,
  subject,
  initial,
  onDone,
}: Common & { initial?: string; onDone?: () => void }) {
  const call = useServerAction(setPersonalLimitAction, {
    fields: ["personalLimit"],
    success: "Personal usage limit saved.",
    changed: () => memberIds,
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        call.reset();
        onOpenChange(next);
      }}
      title="Set personal usage limit"
      description={subject}
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={call.submit({ memberIds, period }, () => {
          onDone?.();
          onOpenChange(false);
        })}
      >
        <FormError message={call.error} />
        <Field
          label="Personal Usage Limit"
          name="personalLimit"
          inputMode="decimal"
          defaultValue={initial ?? ""}
          hint={LIMIT_HINT}
          errors={call.fieldErrors.personalLimit}
          autoComplete="off"
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={call.pending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
