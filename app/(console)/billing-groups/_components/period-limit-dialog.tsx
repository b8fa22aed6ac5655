"use client";

import { Button } from "@/components/ui/button";
import { useCreditsFormat } from "@/components/locale-provider";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useState } from "react";
import { useServerAction } from "@/components/ui/use-server-action";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { parseCreditsInput } from "@/lib/credits/rules";
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
  const call = useServerAction(setPeriodLimitAction, {
    fields: ["limit"],
    success: "Period limit saved.",
    changed: () => [group.id],
  });
  const [typed, setTyped] = useState(group.periodLimit ?? "");
  const belowUsage = isBelowUsage(typed, group.periodUsage);
  const format = useCreditsFormat();
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Set Period Limit for ${group.name}`}
      description={`Current period usage: ${format(group.periodUsage)} Credits. Leave empty for no group limit.`}
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
          onChange={(event) => setTyped(event.target.value)}
          errors={call.fieldErrors.limit}
        />
        {/* R19: allowed, but it blocks at once — say so before Save, not after (issue 18). */}
        {belowUsage ? (
          <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            This is below the {format(group.periodUsage)} Credits {group.name} has already used this period: its members
            will be refused further usage until the next period.
          </p>
        ) : null}
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

/** Whether a typed limit (valid Credits) is below the usage already recorded this period. */
function isBelowUsage(typed: string, periodUsage: string): boolean {
  const limit = parseCreditsInput(typed.trim());
  const used = parseCreditsInput(periodUsage);
  return typed.trim() !== "" && "value" in limit && "value" in used && limit.value < used.value;
}
