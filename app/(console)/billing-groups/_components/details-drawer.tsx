"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmRemove } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Progress } from "@/components/ui/progress";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { Tabs } from "@/components/ui/tabs";
import { useServerAction } from "@/components/ui/use-server-action";
import { ExportDrawer } from "@/components/export/export-drawer";
import { PersonalLimitDescriptions, PersonalLimitValue } from "@/components/personal-limit-value";
import { formatPeriodLabel } from "@/lib/periods/rules";
import type { BillingGroupDetailsDto, BillingGroupsListDto } from "@/lib/billing-groups/dto";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { assignMembersAction } from "../actions";
import { AlertsPanel } from "./alerts-panel";
import { BillingGroupSelect } from "./billing-group-select";
import { MemberPicker } from "./member-picker";
import { PermissionsPanel } from "./permissions-panel";
import { RecipientsPanel } from "./recipients-panel";
import { CreditsText, useCreditsFormat } from "@/components/locale-provider";
import { UsagePanel } from "./usage-panel";

/**
 * R15: current period — members with personal usage and limit, usage vs limit, add/move/remove,
 * usage records; historical period — only the usage records attributed to the group then.
 * Tabs: Details, Usage (R45), Recipients (R39), Alerts (R40, not for Unassigned, which has no limit) and, for
 * admins, Permissions (R33). Unassigned (`groupId` `unassigned`) has a drawer too, for its
 * recipients: its details are the list row's figures.
 */
export function DetailsDrawer({
  groupId,
  groupName,
  period,
  isHistorical,
  readOnlyReason,
  groups,
  onClose,
  unassigned,
  canManage = true,
  canManagePermissions = false,
  onEdit,
  onSetLimit,
}: {
  groupId: string;
  groupName: string;
  period: string;
  /** R23: the drawer's period is not the current one; its changes are disabled with `readOnlyReason`. */
  isHistorical: boolean;
  readOnlyReason: string;
  groups: { id: string; name: string }[];
  onClose: () => void;
  /** Set for Unassigned (`groupId` `unassigned`): the list row's figures, its Details tab. */
  unassigned?: BillingGroupsListDto["unassigned"];
  /** False for billing group viewers (R33): read only, no assignment controls. */
  canManage?: boolean;
  /** Admins only (R33): the Permissions tab. */
  canManagePermissions?: boolean;
  /** Issue 18: the group's own actions in the drawer's header (absent: not offered here). */
  onEdit?: () => void;
  onSetLimit?: () => void;
}) {
  const details = useQuery({
    queryKey: ["billing-groups", "details", groupId, period],
    queryFn: () =>
      fetchConsoleJson<BillingGroupDetailsDto>(`/api/console/billing-groups/${encodeURIComponent(groupId)}`, {
        period,
      }),
    // Unassigned has no details route: its figures come with the list.
    enabled: !unassigned,
  });
  const d = details.data;
  const detailsBody = unassigned ? (
    <UnassignedSummary unassigned={unassigned} />
  ) : !d ? (
    <p className="text-sm text-slate-600">Loading…</p>
  ) : (
    <DetailsBody d={d} groups={groups} canManage={canManage} />
  );
  const recipients = (
    <RecipientsPanel
      billingGroup={groupId}
      period={period}
      isHistorical={isHistorical}
      readOnlyReason={readOnlyReason}
      canManage={canManage}
    />
  );
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      variant="drawer"
      wide
      title={`${groupName} details`}
      description={d?.group.description || undefined}
    >
      {details.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {details.error.message}
        </p>
      ) : null}
      <div className="mb-4 flex flex-wrap items-center gap-2">
        {onEdit ? (
          <Button variant="secondary" disabledReason={isHistorical ? readOnlyReason : undefined} onClick={onEdit}>
            Edit
          </Button>
        ) : null}
        {onSetLimit ? (
          <Button variant="secondary" disabledReason={isHistorical ? readOnlyReason : undefined} onClick={onSetLimit}>
            Set Period Limit
          </Button>
        ) : null}
        {/* R24: this group's bill for the selected period, current or historical. */}
        <ExportDrawer
          period={period}
          periodLabel={formatPeriodLabel(period, "")}
          initialScope={groupId}
          triggerLabel="Export this billing group"
        />
      </div>
      <Tabs
        label="Billing group sections"
        tabs={[
          { value: "details", label: "Details", content: detailsBody },
          // R45: Unassigned has no limit and no details route; its usage is the list row's.
          ...(unassigned
            ? []
            : [{ value: "usage", label: "Usage", content: <UsagePanel billingGroupId={groupId} period={period} /> }]),
          { value: "recipients", label: "Recipients", content: recipients },
          ...(unassigned
            ? []
            : [
                {
                  value: "alerts",
                  label: "Alerts",
                  content: <AlertsPanel d={d} period={period} readOnlyReason={readOnlyReason} canManage={canManage} />,
                },
              ]),
          ...(canManagePermissions
            ? [{ value: "permissions", label: "Permissions", content: <PermissionsPanel billingGroupId={groupId} /> }]
            : []),
        ]}
      />
    </Dialog>
  );
}

function DetailsBody({
  d,
  groups,
  canManage,
}: {
  d: BillingGroupDetailsDto;
  groups: { id: string; name: string }[];
  canManage: boolean;
}) {
  return (
    <div className="flex flex-col gap-6">
      <UsageSummary d={d} />
      <DefaultPersonalLimit d={d} />
      {d.isHistorical ? (
        <p className="text-sm text-slate-600">
          Historical period: only the usage records attributed to this billing group are shown.
        </p>
      ) : d.group.deleted ? null : !canManage ? (
        <ReadOnlyMembers d={d} />
      ) : (
        <CurrentMembers d={d} groups={groups.filter((g) => g.id !== d.group.id)} />
      )}
      <UsageRecords d={d} />
    </div>
  );
}

/** Unassigned's Details tab: the list row's figures; its members are assigned with Handle (R10). */
function UnassignedSummary({ unassigned }: { unassigned: BillingGroupsListDto["unassigned"] }) {
  return (
    <section aria-labelledby="details-usage" className="rounded-lg border border-slate-200 p-4">
      <h3 id="details-usage" className="mb-2 font-semibold">
        Period usage
      </h3>
      <p className="mb-2 text-sm">
        <CreditsText value={unassigned.periodUsage} /> Credits · No period limit
      </p>
      <p className="text-sm text-slate-600">
        {unassigned.members.toLocaleString("en-US")} members have no billing group. Handle, on the Unassigned row,
        assigns them.
      </p>
    </section>
  );
}

function UsageSummary({ d }: { d: BillingGroupDetailsDto }) {
  const format = useCreditsFormat();
  return (
    <section aria-labelledby="details-usage" className="rounded-lg border border-slate-200 p-4">
      <h3 id="details-usage" className="mb-2 font-semibold">
        Period usage
      </h3>
      <p className="mb-2 text-sm">
        {format(d.periodUsage)} Credits
        {d.group.periodLimit !== null ? ` of ${format(d.group.periodLimit)} Credits limit` : " · No period limit"}
        {d.overLimit ? (
          <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">Over limit</span>
        ) : null}
      </p>
      {d.usagePercent !== null ? (
        <Progress
          label="Period usage of limit"
          percent={d.usagePercent}
          valueText={`${format(d.periodUsage)} of ${format(d.group.periodLimit ?? "0")} Credits`}
          over={d.overLimit}
        />
      ) : null}
    </section>
  );
}

/** R42: what members of this group without a personal limit of their own may use per period. */
function DefaultPersonalLimit({ d }: { d: BillingGroupDetailsDto }) {
  const value = d.group.defaultPersonalLimit;
  const format = useCreditsFormat();
  return (
    <section aria-labelledby="details-default-limit" className="rounded-lg border border-slate-200 p-4">
      <h3 id="details-default-limit" className="mb-2 font-semibold">
        Default Personal Limit
      </h3>
      <p className="text-sm">
        {value === null
          ? "None: members without a personal usage limit of their own cannot use Credits."
          : `${format(value)} Credits per period for each member without a personal usage limit of their own.`}
      </p>
    </section>
  );
}

function CurrentMembers({ d, groups }: { d: BillingGroupDetailsDto; groups: { id: string; name: string }[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [toAdd, setToAdd] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState("");
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const assign = useServerAction(assignMembersAction, {
    success: (r) => `${r.assigned} member${r.assigned === 1 ? "" : "s"} now in ${r.billingGroupName}.`,
  });
  const run = (memberIds: string[], billingGroupId: string, reset: () => void) =>
    assign.run({ period: d.period, memberIds, billingGroupId }, reset);
  return (
    <>
      {removing ? null : <FormError message={assign.error} />}
      <section aria-labelledby="details-members">
        <h3 id="details-members" className="mb-2 font-semibold">
          Members ({d.memberCount.toLocaleString("en-US")})
        </h3>
        <PartialListNote shown={d.members.length} total={d.memberCount} what="members, by name">
          <a className="text-indigo-700 underline" href={`/members?billingGroup=${d.group.id}&period=${d.period}`}>
            Open all {d.memberCount.toLocaleString("en-US")} in Members
          </a>
        </PartialListNote>
        <PersonalLimitDescriptions scope="group-members" />
        <Table label="Billing group members" framed={false}>
          <TableHead>
            <HeaderCell hidden className="w-8">
              Select
            </HeaderCell>
            <HeaderCell>Name</HeaderCell>
            <HeaderCell>Email</HeaderCell>
            <HeaderCell numeric>Personal Usage</HeaderCell>
            <HeaderCell numeric>Personal Limit</HeaderCell>
            <HeaderCell hidden>Remove</HeaderCell>
          </TableHead>
          <TableBody>
            {d.members.map((m) => (
              <TableRow key={m.id}>
                <Cell>
                  <input
                    type="checkbox"
                    aria-label={`Select ${m.name}`}
                    checked={selected.has(m.id)}
                    onChange={() => {
                      const next = new Set(selected);
                      if (next.has(m.id)) next.delete(m.id);
                      else next.add(m.id);
                      setSelected(next);
                    }}
                  />
                </Cell>
                <Cell>{m.name}</Cell>
                <Cell>{m.email}</Cell>
                <Cell numeric>
                  <CreditsText value={m.personalUsage} />
                </Cell>
                <Cell numeric>
                  <PersonalLimitValue limit={m.personalLimit} scope="group-members" />
                </Cell>
                <Cell className="text-right">
                  <Button
                    variant="ghost"
                    aria-describedby={`member-${m.id}`}
                    disabled={assign.pending}
                    onClick={() => setRemoving({ id: m.id, name: m.name })}
                  >
                    Remove
                  </Button>
                  <span id={`member-${m.id}`} className="sr-only">
                    {m.name} back to Unassigned
                  </span>
                </Cell>
              </TableRow>
            ))}
            {d.members.length === 0 ? <EmptyRow columns={6}>No members yet.</EmptyRow> : null}
          </TableBody>
        </Table>
        <div className="mt-3 flex items-end gap-2">
          <BillingGroupSelect groups={groups} value={target} onChange={setTarget} includeUnassigned />
          <Button
            disabled={assign.pending || selected.size === 0 || !target}
            onClick={() => run([...selected], target, () => setSelected(new Set()))}
          >
            Assign
          </Button>
          <span className="text-xs text-slate-600">Moves the selected members.</span>
        </div>
      </section>
      <section aria-labelledby="details-add" className="flex flex-col gap-2">
        <h3 id="details-add" className="font-semibold">
          Add members
        </h3>
        <MemberPicker
          scope={d.group.id}
          label="Members outside this billing group"
          selected={toAdd}
          onChange={setToAdd}
        />
        <div>
          <Button
            disabled={assign.pending || toAdd.size === 0}
            onClick={() => run([...toAdd], d.group.id, () => setToAdd(new Set()))}
          >
            Add Members
          </Button>
        </div>
      </section>
      <ConfirmRemove
        target={removing}
        onClose={() => setRemoving(null)}
        call={assign}
        title={(m) => `Remove ${m.name} from ${d.group.name}?`}
        description="They move back to Unassigned. Usage already recorded keeps this billing group."
        onConfirm={(m) => run([m.id], "unassigned", () => setRemoving(null))}
      />
    </>
  );
}

function ReadOnlyMembers({ d }: { d: BillingGroupDetailsDto }) {
  return (
    <section aria-labelledby="details-members">
      <h3 id="details-members" className="mb-2 font-semibold">
        Members ({d.memberCount.toLocaleString("en-US")})
      </h3>
      <PartialListNote shown={d.members.length} total={d.memberCount} what="members, by name" />
      <PersonalLimitDescriptions scope="group-members" />
      <Table label="Billing group members" framed={false}>
        <TableHead>
          <HeaderCell>Name</HeaderCell>
          <HeaderCell>Email</HeaderCell>
          <HeaderCell numeric>Personal Usage</HeaderCell>
          <HeaderCell numeric>Personal Limit</HeaderCell>
        </TableHead>
        <TableBody>
          {d.members.map((m) => (
            <TableRow key={m.id}>
              <Cell>{m.name}</Cell>
              <Cell>{m.email}</Cell>
              <Cell numeric>
                <CreditsText value={m.personalUsage} />
              </Cell>
              <Cell numeric>
                <PersonalLimitValue limit={m.personalLimit} scope="group-members" />
              </Cell>
            </TableRow>
          ))}
          {d.members.length === 0 ? <EmptyRow columns={4}>No members yet.</EmptyRow> : null}
        </TableBody>
      </Table>
    </section>
  );
}

function UsageRecords({ d }: { d: BillingGroupDetailsDto }) {
  return (
    <section aria-labelledby="details-records" className="flex flex-col gap-3">
      <h3 id="details-records" className="font-semibold">
        Usage records
      </h3>
      <PartialListNote
        shown={d.usageByMember.length}
        total={d.usageMemberCount}
        what="members with usage, most Credits first"
      >
        <span>The CSV bill (Export this billing group) lists every one.</span>
      </PartialListNote>
      <Table label="Usage by member" framed={false}>
        <TableHead>
          <HeaderCell>Member</HeaderCell>
          <HeaderCell>Email</HeaderCell>
          <HeaderCell numeric>Credits</HeaderCell>
          <HeaderCell numeric>Events</HeaderCell>
        </TableHead>
        <TableBody>
          {d.usageByMember.map((u) => (
            <TableRow key={u.memberId}>
              <Cell>{u.name}</Cell>
              <Cell>{u.email}</Cell>
              <Cell numeric>
                <CreditsText value={u.credits} />
              </Cell>
              <Cell numeric>{u.events}</Cell>
            </TableRow>
          ))}
          {d.usageByMember.length === 0 ? (
            <EmptyRow columns={4}>No usage attributed to this billing group in this period.</EmptyRow>
          ) : null}
        </TableBody>
      </Table>
      {d.recentEvents.length > 0 ? (
        <Table label="Latest usage records" framed={false}>
          <TableHead>
            <HeaderCell>Recorded At</HeaderCell>
            <HeaderCell>Member</HeaderCell>
            <HeaderCell numeric>Credits</HeaderCell>
          </TableHead>
          <TableBody>
            {d.recentEvents.map((e) => (
              <TableRow key={e.id}>
                <Cell className="tabular-nums">{e.recordedAt}</Cell>
                <Cell>
                  {e.name} <span className="text-slate-600">{e.email}</span>
                </Cell>
                <Cell numeric>
                  <CreditsText value={e.credits} />
                </Cell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}

/** Says when a drawer table shows only the first rows of a longer list, and where the rest are. */
function PartialListNote({
  shown,
  total,
  what,
  children,
}: {
  shown: number;
  total: number;
  what: string;
  children?: ReactNode;
}) {
  if (shown >= total) return null;
  return (
    <p className="mb-2 text-sm text-slate-600">
      Showing the first {shown.toLocaleString("en-US")} of {total.toLocaleString("en-US")} {what}. {children}
    </p>
  );
}
