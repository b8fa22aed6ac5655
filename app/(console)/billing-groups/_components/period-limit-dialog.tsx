"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { setPeriodLimitAction } from "../actions";

/** R19: Credits with at most 2 decimals, > 0; empty clears the limit. */
export function PeriodLimitDialog({
  group,
  period,
  onClose,
}: {
  group: BillingGroupRowDto;
  period: string;
  onClose: () => void;
}) {
  const call = useServerAction(setPeriodLimitAction, { fields: ["limit"], success: "Period limit saved." });
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Set Period Limit for ${group.name}`}
      description={`Current period usage: ${group.periodUsage} Credits. Leave empty for no group limit.`}
    >
      <form
        onSubmit={call.submit({ period, id: group.id, version: String(group.version) }, onClose)}
        className="flex flex-col gap-4"
        noValidate
      >
        <FormError message={call.error} />
        <Field
          label="Period Usage Limit"
          name="limit"
          inputMode="decimal"
          autoComplete="off"
          hint="Credits, up to 2 decimals. A limit below current usage blocks further usage this period."
          defaultValue={group.periodLimit ?? ""}
          errors={call.fieldErrors.limit}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
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
