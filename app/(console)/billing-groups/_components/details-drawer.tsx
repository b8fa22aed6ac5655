"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ExportDrawer } from "@/components/export/export-drawer";
import { formatPeriodLabel } from "@/lib/periods/rules";
import type { BillingGroupDetailsDto } from "@/lib/billing-groups/dto";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { assignMembersAction } from "../actions";
import { BillingGroupSelect } from "./billing-group-select";
import { MemberPicker } from "./member-picker";
import { PermissionsPanel } from "./permissions-panel";
import { useBillingMutation } from "./use-billing-mutation";

/**
 * R15: current period — members with personal usage and limit, usage vs limit, add/move/remove,
 * usage records; historical period — only the usage records attributed to the group then.
 */
export function DetailsDrawer({
  groupId,
  groupName,
  period,
  groups,
  onClose,
  canManage = true,
  canManagePermissions = false,
}: {
  groupId: string;
  groupName: string;
  period: string;
  groups: { id: string; name: string }[];
  onClose: () => void;
  /** False for billing group viewers (R33): read only, no assignment controls. */
  canManage?: boolean;
  /** Admins only (R33): the Permissions tab. */
  canManagePermissions?: boolean;
}) {
  const [tab, setTab] = useState<"details" | "permissions">("details");
  const details = useQuery({
    queryKey: ["billing-groups", "details", groupId, period],
    queryFn: () =>
      fetchConsoleJson<BillingGroupDetailsDto>(`/api/console/billing-groups/${encodeURIComponent(groupId)}`, {
        period,
      }),
  });
  const d = details.data;
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
      <div className="mb-4">
        {/* R24: this group's bill for the selected period, current or historical. */}
        <ExportDrawer
          period={period}
          periodLabel={formatPeriodLabel(period, "")}
          initialScope={groupId}
          triggerLabel="Export this billing group"
        />
      </div>
      {canManagePermissions ? (
        <div role="tablist" aria-label="Billing group sections" className="mb-4 flex gap-1 border-b border-slate-200">
          {(["details", "permissions"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`panel-${t}`}
              onClick={() => setTab(t)}
              className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${tab === t ? "border-indigo-700 text-indigo-800" : "border-transparent text-slate-700 hover:text-slate-900"}`}
            >
              {t === "details" ? "Details" : "Permissions"}
            </button>
          ))}
        </div>
      ) : null}
      {canManagePermissions && tab === "permissions" ? (
        <div role="tabpanel" id="panel-permissions" aria-labelledby="tab-permissions">
          <PermissionsPanel billingGroupId={groupId} />
        </div>
      ) : (
        <div
          {...(canManagePermissions ? { role: "tabpanel", id: "panel-details", "aria-labelledby": "tab-details" } : {})}
        >
          {!d ? (
            <p className="text-sm text-slate-600">Loading…</p>
          ) : (
            <DetailsBody d={d} groups={groups} canManage={canManage} />
          )}
        </div>
      )}
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

function UsageSummary({ d }: { d: BillingGroupDetailsDto }) {
  return (
    <section aria-labelledby="details-usage" className="rounded-lg border border-slate-200 p-4">
      <h3 id="details-usage" className="mb-2 font-semibold">
        Period usage
      </h3>
      <p className="mb-2 text-sm">
        {d.periodUsage} Credits
        {d.group.periodLimit !== null ? ` of ${d.group.periodLimit} Credits limit` : " · No period limit"}
        {d.overLimit ? (
          <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">Over limit</span>
        ) : null}
      </p>
      {d.usagePercent !== null ? (
        <div
          role="progressbar"
          aria-label="Period usage of limit"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(d.usagePercent)}
          aria-valuetext={`${d.periodUsage} of ${d.group.periodLimit} Credits`}
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div
            className={`h-full ${d.overLimit ? "bg-red-600" : "bg-indigo-600"}`}
            style={{ width: `${d.usagePercent}%` }}
          />
        </div>
      ) : null}
    </section>
  );
}

function CurrentMembers({ d, groups }: { d: BillingGroupDetailsDto; groups: { id: string; name: string }[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [toAdd, setToAdd] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState("");
  const assign = useBillingMutation(assignMembersAction);
  const run = (memberIds: string[], billingGroupId: string, reset: () => void) =>
    assign.mutate({ period: d.period, memberIds, billingGroupId }, { onSuccess: reset });
  return (
    <>
      {assign.isError ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {assign.error.message}
        </p>
      ) : null}
      <section aria-labelledby="details-members">
        <h3 id="details-members" className="mb-2 font-semibold">
          Members ({d.memberCount.toLocaleString("en-US")})
        </h3>
        <PartialListNote shown={d.members.length} total={d.memberCount} what="members, by name">
          <a className="text-indigo-700 underline" href={`/members?billingGroup=${d.group.id}&period=${d.period}`}>
            Open all {d.memberCount.toLocaleString("en-US")} in Members
          </a>
        </PartialListNote>
        <table aria-label="Billing group members" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="w-8 py-1">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col" className="text-right">
                Personal Usage
              </th>
              <th scope="col" className="text-right">
                Personal Limit
              </th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr key={m.id} className="border-b border-slate-100">
                <td className="py-1">
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
                </td>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td className="text-right tabular-nums">{m.personalUsage}</td>
                <td className="text-right tabular-nums">{m.personalLimit ?? "Not configured"}</td>
                <td className="text-right">
                  <Button
                    variant="ghost"
                    aria-describedby={`member-${m.id}`}
                    disabled={assign.isPending}
                    onClick={() => run([m.id], "unassigned", () => {})}
                  >
                    Remove
                  </Button>
                  <span id={`member-${m.id}`} className="sr-only">
                    {m.name} back to Unassigned
                  </span>
                </td>
              </tr>
            ))}
            {d.members.length === 0 ? (
              <tr>
                <td colSpan={6} className="py-2 text-slate-600">
                  No members yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <div className="mt-3 flex items-end gap-2">
          <BillingGroupSelect groups={groups} value={target} onChange={setTarget} includeUnassigned />
          <Button
            disabled={assign.isPending || selected.size === 0 || !target}
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
            disabled={assign.isPending || toAdd.size === 0}
            onClick={() => run([...toAdd], d.group.id, () => setToAdd(new Set()))}
          >
            Add Members
          </Button>
        </div>
      </section>
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
      <table aria-label="Billing group members" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col" className="text-right">
              Personal Usage
            </th>
            <th scope="col" className="text-right">
              Personal Limit
            </th>
          </tr>
        </thead>
        <tbody>
          {d.members.map((m) => (
            <tr key={m.id} className="border-b border-slate-100">
              <td className="py-1">{m.name}</td>
              <td>{m.email}</td>
              <td className="text-right tabular-nums">{m.personalUsage}</td>
              <td className="text-right tabular-nums">{m.personalLimit ?? "Not configured"}</td>
            </tr>
          ))}
          {d.members.length === 0 ? (
            <tr>
              <td colSpan={4} className="py-2 text-slate-600">
                No members yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
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
      <table aria-label="Usage by member" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Email</th>
            <th scope="col" className="text-right">
              Credits
            </th>
            <th scope="col" className="text-right">
              Events
            </th>
          </tr>
        </thead>
        <tbody>
          {d.usageByMember.map((u) => (
            <tr key={u.memberId} className="border-b border-slate-100">
              <td className="py-1">{u.name}</td>
              <td>{u.email}</td>
              <td className="text-right tabular-nums">{u.credits}</td>
              <td className="text-right tabular-nums">{u.events}</td>
            </tr>
          ))}
          {d.usageByMember.length === 0 ? (
            <tr>
              <td colSpan={4} className="py-2 text-slate-600">
                No usage attributed to this billing group in this period.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {d.recentEvents.length > 0 ? (
        <table aria-label="Latest usage records" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col">Recorded At</th>
              <th scope="col">Member</th>
              <th scope="col" className="text-right">
                Credits
              </th>
            </tr>
          </thead>
          <tbody>
            {d.recentEvents.map((e) => (
              <tr key={e.id} className="border-b border-slate-100">
                <td className="py-1 tabular-nums">{e.recordedAt}</td>
                <td>
                  {e.name} <span className="text-slate-600">{e.email}</span>
                </td>
                <td className="text-right tabular-nums">{e.credits}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
