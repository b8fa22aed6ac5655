"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { MEMBER_ROLES } from "@/lib/auth/roles";
import {
  assignBillingGroupAction,
  changeRoleAction,
  deactivateMemberAction,
  reactivateMemberAction,
  setPersonalLimitAction,
} from "../actions";
import type { Option } from "./choices";
import { LIMIT_HINT } from "./member-dialogs";

type Base = { memberId: string; period: string; disabledReason?: string };

/** R12 from member details: assign, reassign or unassign (Unassigned). */
export function BillingGroupForm({
  memberId,
  period,
  disabledReason,
  billingGroups,
  current,
}: Base & { billingGroups: Option[]; current: string }) {
  const call = useServerAction(assignBillingGroupAction, {
    fields: ["billingGroupId"],
    success: "Billing group saved.",
  });
  return (
    <form className="flex flex-wrap items-end gap-3" onSubmit={call.submit({ memberIds: [memberId], period })}>
      <Select
        label="Billing Group"
        name="billingGroupId"
        options={billingGroups}
        defaultValue={current}
        disabledReason={disabledReason}
        errors={call.fieldErrors.billingGroupId}
      />
      <Button type="submit" disabled={call.pending} disabledReason={disabledReason}>
        Assign
      </Button>
      <div className="basis-full">
        <FormError message={call.error} />
      </div>
    </form>
  );
}

/** R18: 0 = the member cannot use Credits; empty = none of their own, so the group's default applies (R42). */
export function PersonalLimitForm({ memberId, period, disabledReason, current }: Base & { current: string }) {
  const call = useServerAction(setPersonalLimitAction, {
    fields: ["personalLimit"],
    success: "Personal usage limit saved.",
  });
  return (
    <form className="flex flex-wrap items-start gap-3" onSubmit={call.submit({ memberIds: [memberId], period })}>
      <Field
        label="Personal Usage Limit"
        name="personalLimit"
        inputMode="decimal"
        defaultValue={current}
        hint={LIMIT_HINT}
        disabledReason={disabledReason}
        errors={call.fieldErrors.personalLimit}
        autoComplete="off"
      />
      <div className="flex items-center gap-3 pt-6">
        <Button type="submit" disabled={call.pending} disabledReason={disabledReason}>
          Save
        </Button>
      </div>
      <div className="basis-full">
        <FormError message={call.error} />
      </div>
    </form>
  );
}

const apiKeysText = (count: number) => (count === 1 ? "1 API key" : `${count} API keys`);

/**
 * Admin only (R3): change role, deactivate or reactivate. The services refuse self-changes and the
 * last admin. `liveApiKeys` is how many live keys the member created (from the database): they
 * survive the deactivation (R29) unless the admin ticks the box to revoke them too (issue 22).
 */
export function RoleAndAccessForm({
  memberId,
  period,
  disabledReason,
  role,
  deactivated,
  memberName,
  isSelf,
  liveApiKeys,
}: Base & { role: Role; deactivated: boolean; memberName: string; isSelf: boolean; liveApiKeys: number }) {
  const roleCall = useServerAction(changeRoleAction, { fields: ["role"], success: "Role saved." });
  const deactivate = useServerAction(deactivateMemberAction, {
    success: ({ revokedApiKeys }) =>
      revokedApiKeys > 0
        ? `${memberName} deactivated; ${apiKeysText(revokedApiKeys)} revoked.`
        : `${memberName} deactivated.`,
  });
  const [revokeApiKeys, setRevokeApiKeys] = useState(false);
  const reactivate = useServerAction(reactivateMemberAction, {
    errors: "toast",
    success: `${memberName} reactivated.`,
  });
  const [confirming, setConfirming] = useState(false);
  const selfReason = isSelf ? "You cannot change your own role or deactivate yourself." : undefined;
  const reason = disabledReason ?? selfReason;
  return (
    <div className="flex flex-col gap-4">
      <form className="flex flex-wrap items-end gap-3" onSubmit={roleCall.submit({ memberId, period })}>
        <Select
          label="Role"
          name="role"
          defaultValue={role}
          options={MEMBER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          disabledReason={reason}
          errors={roleCall.fieldErrors.role}
        />
        <Button type="submit" disabled={roleCall.pending} disabledReason={reason}>
          Save
        </Button>
        <div className="basis-full">
          <FormError message={roleCall.error} />
        </div>
      </form>
      {/* Issue 18: what cannot be taken back in one click sits apart from everyday settings. */}
      <section
        aria-labelledby="danger-zone-heading"
        className="flex flex-col items-start gap-2 rounded-md border border-red-300 bg-red-50 p-3"
      >
        <h3 id="danger-zone-heading" className="text-sm font-semibold text-red-800">
          Danger zone
        </h3>
        <p className="text-sm text-slate-700">
          {deactivated
            ? "Reactivating gives this member console and API access again."
            : "Deactivating ends every session and all console and API access at once."}
        </p>
        {deactivated ? (
          <Button
            variant="secondary"
            disabled={reactivate.pending}
            disabledReason={reason}
            onClick={() => reactivate.run({ memberId, period })}
          >
            Reactivate
          </Button>
        ) : (
          <Button variant="danger" disabledReason={reason} onClick={() => setConfirming(true)}>
            Deactivate
          </Button>
        )}
      </section>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          if (!open) {
            deactivate.reset();
            // Keys are kept unless asked each time: the box never stays ticked from an earlier try.
            setRevokeApiKeys(false);
          }
          setConfirming(open);
        }}
        title={`Deactivate ${memberName}?`}
        description={
          "They lose console and API access at once. Their usage records, billing group and limit are kept; you can reactivate them later." +
          (liveApiKeys > 0
            ? ` They created ${apiKeysText(liveApiKeys)} that still ${liveApiKeys === 1 ? "works" : "work"}: API keys belong to the organization and keep working unless you revoke them.`
            : "")
        }
        confirmLabel="Deactivate"
        pending={deactivate.pending}
        error={deactivate.error}
        onConfirm={() =>
          deactivate.run({ memberId, period, revokeApiKeys: liveApiKeys > 0 && revokeApiKeys }, () => {
            setConfirming(false);
            setRevokeApiKeys(false);
          })
        }
      >
        {liveApiKeys > 0 ? (
          <div className="flex flex-col gap-1 text-sm">
            <label className="flex items-center gap-2 font-medium text-slate-800">
              <input
                type="checkbox"
                name="revokeApiKeys"
                checked={revokeApiKeys}
                onChange={(e) => setRevokeApiKeys(e.target.checked)}
                aria-describedby="revoke-api-keys-hint"
              />
              Also revoke their {apiKeysText(liveApiKeys)}
            </label>
            <p id="revoke-api-keys-hint" className="pl-6 text-xs text-slate-600">
              Services using {liveApiKeys === 1 ? "it" : "them"} stop being able to meter Credits on their next request.
              This cannot be undone.
            </p>
          </div>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
