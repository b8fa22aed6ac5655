"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { MEMBER_ROLES } from "@/lib/members/schemas";
import { addMemberAction } from "../actions";
import type { Option } from "./choices";
import { LIMIT_HINT } from "./member-dialogs";
import { SelectField } from "./select-field";
import { FormError, formObject, useActionCall } from "./use-action-call";

export function AddMemberButton({
  period,
  billingGroups,
  disabledReason,
}: {
  period: string;
  billingGroups: Option[];
  disabledReason?: string;
}) {
  const [open, setOpen] = useState(false);
  const call = useActionCall(addMemberAction, ["name", "email", "role", "personalLimit", "billingGroupId"]);
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={Boolean(disabledReason)} title={disabledReason}>
        Add Member
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          call.reset();
          setOpen(next);
        }}
        title="Add member"
      >
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            call.run({ ...formObject(form), period }, () => {
              form.reset();
              setOpen(false);
            });
          }}
        >
          <FormError message={call.error} />
          <Field label="Name" name="name" required maxLength={200} errors={call.fieldErrors.name} autoComplete="off" />
          <Field label="Email" name="email" type="email" required errors={call.fieldErrors.email} autoComplete="off" />
          <SelectField
            label="Role"
            name="role"
            defaultValue="member"
            options={MEMBER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            errors={call.fieldErrors.role}
          />
          <Field
            label="Personal Usage Limit"
            name="personalLimit"
            inputMode="decimal"
            hint={LIMIT_HINT}
            errors={call.fieldErrors.personalLimit}
            autoComplete="off"
          />
          <SelectField
            label="Billing Group"
            name="billingGroupId"
            defaultValue="unassigned"
            options={billingGroups}
            errors={call.fieldErrors.billingGroupId}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={call.pending}>
              Add Member
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
