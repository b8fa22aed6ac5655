"use client";

import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { setPeriodLimitAction } from "../actions";
import { FormError, typed } from "./form-status";

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
  const [state, formAction, pending] = useActionState(setPeriodLimitAction, null);
  useEffect(() => {
    if (state?.ok) onClose();
  }, [state, onClose]);
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Set Period Limit for ${group.name}`}
      description={`Current period usage: ${group.periodUsage} Credits. Leave empty for no group limit.`}
    >
      <form action={formAction} className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="period" value={period} />
        <input type="hidden" name="id" value={group.id} />
        <input type="hidden" name="version" value={group.version} />
        <FormError state={state} />
        <Field
          label="Period Usage Limit"
          name="limit"
          inputMode="decimal"
          autoComplete="off"
          hint="Credits, up to 2 decimals. A limit below current usage blocks further usage this period."
          key={`limit-${JSON.stringify(state)}`}
          defaultValue={typed(state, "limit", group.periodLimit ?? "")}
          errors={state && !state.ok ? state.fieldErrors?.limit : undefined}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
