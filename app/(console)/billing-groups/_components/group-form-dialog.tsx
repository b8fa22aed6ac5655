"use client";

import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { createBillingGroupAction, updateBillingGroupAction } from "../actions";
import { FormError, typed } from "./form-status";

/** Create (no group) or Edit (a group) with Name and Description (R11). */
export function GroupFormDialog({
  group,
  period,
  onClose,
}: {
  group?: BillingGroupRowDto;
  period: string;
  onClose: () => void;
}) {
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={group ? `Edit ${group.name}` : "Create billing group"}
    >
      <GroupForm group={group} period={period} onDone={onClose} />
    </Dialog>
  );
}

function GroupForm({ group, period, onDone }: { group?: BillingGroupRowDto; period: string; onDone: () => void }) {
  const action: (state: unknown, payload: FormData) => Promise<ActionResult<unknown>> = group
    ? updateBillingGroupAction
    : createBillingGroupAction;
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(action, null);
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="period" value={period} />
      {group ? (
        <>
          <input type="hidden" name="id" value={group.id} />
          <input type="hidden" name="version" value={group.version} />
        </>
      ) : null}
      <FormError state={state} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={100}
        autoComplete="off"
        defaultValue={typed(state, "name", group?.name)}
        key={`name-${JSON.stringify(state)}`}
        errors={state && !state.ok ? state.fieldErrors?.name : undefined}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-description" className="text-sm font-medium text-slate-800">
          Description
        </label>
        <textarea
          id="field-description"
          name="description"
          maxLength={500}
          rows={3}
          key={`description-${JSON.stringify(state)}`}
          defaultValue={typed(state, "description", group?.description)}
          aria-invalid={Boolean(state && !state.ok && state.fieldErrors?.description) || undefined}
          aria-describedby={
            state && !state.ok && state.fieldErrors?.description ? "field-description-error" : undefined
          }
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:outline-2 focus:outline-indigo-600"
        />
        {state && !state.ok && state.fieldErrors?.description ? (
          <p id="field-description-error" className="text-sm text-red-700">
            {state.fieldErrors.description.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {group ? "Save" : "Create"}
        </Button>
      </div>
    </form>
  );
}
