"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { MEMBER_ROLES } from "@/lib/members/schemas";
import {
  assignBillingGroupAction,
  changeRoleAction,
  deactivateMemberAction,
  reactivateMemberAction,
  setPersonalLimitAction,
} from "../actions";
import type { Option } from "./choices";
import { LIMIT_HINT } from "./member-dialogs";
import { SelectField } from "./select-field";
import { FormError, formObject, useActionCall } from "./use-action-call";

type Base = { memberId: string; period: string; disabledReason?: string };

function Saved({ show }: { show: boolean }) {
  return (
    <span role="status" className="text-sm text-green-800">
      {show ? "Saved." : ""}
    </span>
  );
}

/** R12 from member details: assign, reassign or unassign (Unassigned). */
export function BillingGroupForm({
  memberId,
  period,
  disabledReason,
  billingGroups,
  current,
}: Base & { billingGroups: Option[]; current: string }) {
  const call = useActionCall(assignBillingGroupAction, ["billingGroupId"]);
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        call.run({ ...formObject(event.currentTarget), memberIds: [memberId], period }, () => setSaved(true));
      }}
    >
      <SelectField
        label="Billing Group"
        name="billingGroupId"
        options={billingGroups}
        defaultValue={current}
        disabled={Boolean(disabledReason)}
        title={disabledReason}
        errors={call.fieldErrors.billingGroupId}
      />
      <Button type="submit" disabled={Boolean(disabledReason) || call.pending} title={disabledReason}>
        Assign
      </Button>
      <Saved show={saved && !call.pending} />
      <div className="basis-full">
        <FormError message={call.error} />
      </div>
    </form>
  );
}

/** R18: empty or 0 = the member cannot use Credits. */
export function PersonalLimitForm({ memberId, period, disabledReason, current }: Base & { current: string }) {
  const call = useActionCall(setPersonalLimitAction, ["personalLimit"]);
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="flex flex-wrap items-start gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        call.run({ ...formObject(event.currentTarget), memberIds: [memberId], period }, () => setSaved(true));
      }}
    >
      <Field
        label="Personal Usage Limit"
        name="personalLimit"
        inputMode="decimal"
        defaultValue={current}
        hint={LIMIT_HINT}
        disabled={Boolean(disabledReason)}
        title={disabledReason}
        errors={call.fieldErrors.personalLimit}
        autoComplete="off"
      />
      <div className="flex items-center gap-3 pt-6">
        <Button type="submit" disabled={Boolean(disabledReason) || call.pending} title={disabledReason}>
          Save
        </Button>
        <Saved show={saved && !call.pending} />
      </div>
      <div className="basis-full">
        <FormError message={call.error} />
      </div>
    </form>
  );
}

/** Admin only (R3): change role, deactivate or reactivate. The services refuse self-changes and the last admin. */
export function RoleAndAccessForm({
  memberId,
  period,
  disabledReason,
  role,
  deactivated,
  memberName,
  isSelf,
}: Base & { role: Role; deactivated: boolean; memberName: string; isSelf: boolean }) {
  const roleCall = useActionCall(changeRoleAction, ["role"]);
  const deactivate = useActionCall(deactivateMemberAction);
  const reactivate = useActionCall(reactivateMemberAction);
  const [confirming, setConfirming] = useState(false);
  const selfReason = isSelf ? "You cannot change your own role or deactivate yourself." : undefined;
  const reason = disabledReason ?? selfReason;
  return (
    <div className="flex flex-col gap-4">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          roleCall.run({ ...formObject(event.currentTarget), memberId, period });
        }}
      >
        <SelectField
          label="Role"
          name="role"
          defaultValue={role}
          options={MEMBER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          disabled={Boolean(reason)}
          title={reason}
          errors={roleCall.fieldErrors.role}
        />
        <Button type="submit" disabled={Boolean(reason) || roleCall.pending} title={reason}>
          Save
        </Button>
        <div className="basis-full">
          <FormError message={roleCall.error} />
        </div>
      </form>
      <div className="flex flex-col items-start gap-2">
        <FormError message={deactivate.error ?? reactivate.error} />
        {deactivated ? (
          <Button
            variant="secondary"
            disabled={Boolean(reason) || reactivate.pending}
            title={reason}
            onClick={() => reactivate.run({ memberId, period })}
          >
            Reactivate
          </Button>
        ) : (
          <Button variant="danger" disabled={Boolean(reason)} title={reason} onClick={() => setConfirming(true)}>
            Deactivate
          </Button>
        )}
      </div>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Deactivate ${memberName}?`}
        description="They lose console and API access at once. Their usage records, billing group and limit are kept; you can reactivate them later."
      >
        <FormError message={deactivate.error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={deactivate.pending}
            onClick={() => deactivate.run({ memberId, period }, () => setConfirming(false))}
          >
            Deactivate
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
