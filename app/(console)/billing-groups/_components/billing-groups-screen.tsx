"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { ActionsMenu } from "@/components/ui/actions-menu";
import type { BillingGroupRowDto, BillingGroupsListDto } from "@/lib/billing-groups/dto";
import { nextSort, type ListSort, type SortKey } from "@/lib/billing-groups/rules";
import { DeleteDialog } from "./delete-dialog";
import { DetailsDrawer } from "./details-drawer";
import { GroupFormDialog } from "./group-form-dialog";
import { HandleDrawer } from "./handle-drawer";
import { PeriodLimitDialog } from "./period-limit-dialog";

type Open =
  | { kind: "create" }
  | { kind: "handle" }
  | { kind: "edit" | "limit" | "delete"; group: BillingGroupRowDto }
  | { kind: "details"; group: BillingGroupRowDto };

type Props = {
  list: BillingGroupsListDto;
  pickerGroups: { id: string; name: string }[];
  period: string;
  isHistorical: boolean;
  sort: ListSort;
  /** R23: why mutation controls are disabled in a historical period. */
  readOnlyReason: string;
  /** R33: a billing group viewer reads details and exports only; no mutation controls at all. */
  viewer?: boolean;
  /** R33: admins manage viewers in the details drawer's Permissions tab. */
  canManagePermissions?: boolean;
};

export function BillingGroupsScreen({
  list,
  pickerGroups,
  period,
  isHistorical,
  sort,
  readOnlyReason,
  viewer = false,
  canManagePermissions = false,
}: Props) {
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const lockedTitle = isHistorical ? readOnlyReason : undefined;
  return (
    <>
      {viewer ? null : (
        <div className="mb-3 flex justify-end">
          <Button disabled={isHistorical} title={lockedTitle} onClick={() => setOpen({ kind: "create" })}>
            Create
          </Button>
        </div>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Billing groups" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
            <tr>
              <SortHeader label="Billing Group" sortKey="name" sort={sort} />
              <th scope="col" className="px-3 py-2">
                Description
              </th>
              <SortHeader label="Members" sortKey="members" sort={sort} numeric />
              <SortHeader label="Period Usage" sortKey="usage" sort={sort} numeric />
              <th scope="col" className="px-3 py-2 text-right">
                Period Limit
              </th>
              <th scope="col" className="px-3 py-2">
                Created By
              </th>
              <th scope="col" className="px-3 py-2">
                Created At
              </th>
              <th scope="col" className="px-3 py-2">
                Last Updated
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Row actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="whitespace-nowrap">
            {viewer ? null : (
              <tr className="border-b border-slate-200 bg-slate-50/50">
                <th scope="row" className="px-3 py-2 font-medium">
                  Unassigned
                </th>
                <td className="px-3 py-2 text-slate-600">No billing group</td>
                <td className="px-3 py-2 text-right tabular-nums">{list.unassigned.members}</td>
                <td className="px-3 py-2 text-right tabular-nums">{list.unassigned.periodUsage}</td>
                <td className="px-3 py-2 text-right text-slate-600">No limit</td>
                <td className="px-3 py-2 text-slate-600">System</td>
                <td className="px-3 py-2 text-slate-600">—</td>
                <td className="px-3 py-2 text-slate-600">—</td>
                <td className="px-3 py-2 text-right">
                  <Button
                    variant="secondary"
                    disabled={isHistorical}
                    title={lockedTitle}
                    onClick={() => setOpen({ kind: "handle" })}
                  >
                    Handle
                  </Button>
                </td>
              </tr>
            )}
            {viewer && list.groups.length === 0 ? (
              <tr>
                <td colSpan={9} className="px-3 py-4 text-slate-600">
                  None of your billing groups appears in this period.
                </td>
              </tr>
            ) : null}
            {list.groups.map((group) => (
              <tr key={group.id} className="border-b border-slate-100 last:border-0">
                <th scope="row" className="px-3 py-2 font-medium">
                  <button
                    type="button"
                    className="text-left text-indigo-800 underline-offset-2 hover:underline"
                    onClick={() => setOpen({ kind: "details", group })}
                  >
                    {group.name}
                  </button>
                  {group.deleted ? (
                    <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-normal text-slate-700">
                      Deleted
                    </span>
                  ) : null}
                </th>
                <td className="max-w-[14rem] truncate px-3 py-2 text-slate-700" title={group.description}>
                  {group.description}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{group.members}</td>
                <td className="px-3 py-2 text-right tabular-nums">{group.periodUsage}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {group.periodLimit ?? <span className="text-slate-600">No limit</span>}
                  {group.overLimit ? (
                    <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">
                      Over limit
                    </span>
                  ) : null}
                </td>
                <td className="px-3 py-2">{group.createdBy}</td>
                <td className="px-3 py-2 tabular-nums">
                  <span title={group.createdAt}>{group.createdAt.slice(0, 10)}</span>
                </td>
                <td className="px-3 py-2 tabular-nums">
                  <span title={group.updatedAt}>{group.updatedAt.slice(0, 10)}</span>
                </td>
                <td className="px-3 py-2 text-right">
                  <ActionsMenu
                    actions={[
                      { label: "View details", onSelect: () => setOpen({ kind: "details", group }) },
                      ...(group.deleted || viewer
                        ? []
                        : [
                            {
                              label: "Edit",
                              onSelect: () => setOpen({ kind: "edit", group }),
                              disabled: isHistorical,
                              disabledReason: readOnlyReason,
                            },
                            {
                              label: "Set Period Limit",
                              onSelect: () => setOpen({ kind: "limit", group }),
                              disabled: isHistorical,
                              disabledReason: readOnlyReason,
                            },
                            {
                              label: "Delete",
                              onSelect: () => setOpen({ kind: "delete", group }),
                              disabled: isHistorical,
                              disabledReason: readOnlyReason,
                              danger: true,
                            },
                          ]),
                    ]}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open?.kind === "create" ? <GroupFormDialog period={period} onClose={close} /> : null}
      {open?.kind === "edit" ? <GroupFormDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "limit" ? <PeriodLimitDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "delete" ? <DeleteDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "handle" ? <HandleDrawer groups={pickerGroups} period={period} onClose={close} /> : null}
      {open?.kind === "details" ? (
        <DetailsDrawer
          groupId={open.group.id}
          groupName={open.group.name}
          period={period}
          groups={pickerGroups}
          onClose={close}
          canManage={!viewer}
          canManagePermissions={canManagePermissions && !open.group.deleted}
        />
      ) : null}
    </>
  );
}

function SortHeader({
  label,
  sortKey,
  sort,
  numeric,
}: {
  label: string;
  sortKey: SortKey;
  sort: ListSort;
  numeric?: boolean;
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const active = sort.key === sortKey;
  const next = nextSort(sort, sortKey);
  const params = new URLSearchParams(searchParams.toString());
  params.set("sort", next.key);
  params.set("dir", next.direction);
  // A new order starts again from its first page.
  params.delete("page");
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
      className={`px-3 py-2 ${numeric ? "text-right" : ""}`}
    >
      <Link
        href={`${pathname}?${params.toString()}`}
        scroll={false}
        className="inline-flex items-center gap-1 hover:underline"
      >
        {label}
        <span aria-hidden="true" className="text-xs text-slate-500">
          {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}
