"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { MEMBER_ROLES } from "@/lib/auth/roles";
import { addMemberAction } from "../actions";
import type { Option } from "./choices";
import { LIMIT_HINT } from "./member-dialogs";

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
  const call = useServerAction(addMemberAction, {
    fields: ["name", "email", "role", "personalLimit", "billingGroupId"],
    success: (_, input) => `${String(input.name).trim()} added.`,
    view: (member) => `/members/${member.id}`,
    changed: (member) => [member.id],
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} disabledReason={disabledReason}>
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
        <form className="flex flex-col gap-4" noValidate onSubmit={call.submit({ period }, () => setOpen(false))}>
          <FormError message={call.error} />
          <Field label="Name" name="name" required maxLength={200} errors={call.fieldErrors.name} autoComplete="off" />
          <Field label="Email" name="email" type="email" required errors={call.fieldErrors.email} autoComplete="off" />
          <Select
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
          <Select
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
