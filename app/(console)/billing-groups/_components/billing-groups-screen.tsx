"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { SearchBox } from "@/components/search-box";
import { ChangedRow } from "@/components/ui/changed-rows";
import { CreditsText, useCreditsFormat } from "@/components/locale-provider";
import { Progress } from "@/components/ui/progress";
import { Button } from "@/components/ui/button";
import { ActionsMenu } from "@/components/ui/actions-menu";
import {
  Cell,
  EmptyRow,
  HeaderCell,
  RowHeaderCell,
  SortableHeaderCell,
  Table,
  TableBody,
  TableHead,
} from "@/components/ui/table";
import type { BillingGroupRowDto, BillingGroupsListDto } from "@/lib/billing-groups/dto";
import { UNASSIGNED_ID } from "@/lib/ids";
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
  | { kind: "details"; group: Pick<BillingGroupRowDto, "id" | "name" | "deleted"> }
  | { kind: "unassigned-details" };

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
  /** `?group=<id>` (the Notifications list's links, R40): that group's details open on arrival. */
  linkedGroupId?: string;
  /** R46: the list's search text (`?q=`); empty = every group. */
  search?: string;
  /** The page's heading block, and its Period and Export: Create joins them (issue 18: one row of actions). */
  title: ReactNode;
  actions: ReactNode;
  /** Between the header and the list: the history notice and the overview (R45). */
  beforeList?: ReactNode;
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
  linkedGroupId,
  search = "",
  title,
  actions,
  beforeList,
}: Props) {
  const [open, setOpen] = useState<Open | null>(null);
  const unlink = useUnlinkGroup();
  const close = useCallback(() => {
    setOpen(null);
    if (linkedGroupId) unlink();
  }, [linkedGroupId, unlink]);
  // The linked group may sort onto another page: admins find its name among the live groups.
  const linked = linkedGroupId
    ? (list.groups.find((g) => g.id === linkedGroupId) ?? pickerGroups.find((g) => g.id === linkedGroupId))
    : undefined;
  const linkedId = linked?.id;
  const linkedName = linked?.name;
  const linkedDeleted = linked !== undefined && "deleted" in linked && linked.deleted === true;
  useEffect(() => {
    if (linkedId && linkedName)
      setOpen({ kind: "details", group: { id: linkedId, name: linkedName, deleted: linkedDeleted } });
  }, [linkedId, linkedName, linkedDeleted]);
  const lockedReason = isHistorical ? readOnlyReason : undefined;
  // R10: the Unassigned row is a billing group too, found by its name like the others.
  const showUnassigned = !viewer && (search === "" || "unassigned".includes(search.toLowerCase()));
  // Issue 18: Edit and Set Period Limit in the drawer's header too, for a live group this page shows.
  const detailsActions = (id: string) => {
    const row = list.groups.find((g) => g.id === id);
    if (!row || row.deleted || viewer) return {};
    return {
      onEdit: () => setOpen({ kind: "edit", group: row }),
      onSetLimit: () => setOpen({ kind: "limit", group: row }),
    };
  };
  return (
    <>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        {title}
        <div className="flex flex-wrap items-end gap-3">
          {actions}
          {viewer ? null : (
            <Button disabledReason={lockedReason} onClick={() => setOpen({ kind: "create" })}>
              Create
            </Button>
          )}
        </div>
      </div>
      {beforeList}
      <div className="mb-3">
        <SearchBox label="Search billing groups" placeholder="Name or description" />
      </div>
      <Table label="Billing groups">
        <TableHead>
          <SortHeader label="Billing Group" sortKey="name" sort={sort} />
          <HeaderCell>Description</HeaderCell>
          <SortHeader label="Members" sortKey="members" sort={sort} numeric />
          <SortHeader label="Period Usage" sortKey="usage" sort={sort} numeric />
          <HeaderCell numeric>Period Limit</HeaderCell>
          <HeaderCell>Created By</HeaderCell>
          <HeaderCell>Created At</HeaderCell>
          <HeaderCell>Last Updated</HeaderCell>
          <HeaderCell hidden>Row actions</HeaderCell>
        </TableHead>
        <TableBody className="whitespace-nowrap">
          {showUnassigned ? (
            <ChangedRow id={UNASSIGNED_ID} className="bg-slate-50/50">
              <RowHeaderCell>
                <DetailsLink onClick={() => setOpen({ kind: "unassigned-details" })}>Unassigned</DetailsLink>
              </RowHeaderCell>
              <Cell className="text-slate-600">No billing group</Cell>
              <Cell numeric>{list.unassigned.members}</Cell>
              <Cell numeric>
                <CreditsText value={list.unassigned.periodUsage} />
              </Cell>
              <Cell numeric className="text-slate-600">
                No limit
              </Cell>
              <Cell className="text-slate-600">System</Cell>
              <Cell className="text-slate-600">—</Cell>
              <Cell className="text-slate-600">—</Cell>
              <Cell className="text-right">
                <Button variant="secondary" disabledReason={lockedReason} onClick={() => setOpen({ kind: "handle" })}>
                  Handle
                </Button>
              </Cell>
            </ChangedRow>
          ) : null}
          {search && list.groups.length === 0 ? (
            <EmptyRow columns={9}>No billing group’s name or description contains “{search}”.</EmptyRow>
          ) : viewer && list.groups.length === 0 ? (
            <EmptyRow columns={9}>None of your billing groups appears in this period.</EmptyRow>
          ) : null}
          {list.groups.map((group) => (
            <ChangedRow key={group.id} id={group.id}>
              <RowHeaderCell>
                <DetailsLink onClick={() => setOpen({ kind: "details", group })}>{group.name}</DetailsLink>
                {group.deleted ? (
                  <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-normal text-slate-700">
                    Deleted
                  </span>
                ) : null}
              </RowHeaderCell>
              <Cell className="max-w-[14rem] truncate text-slate-700" title={group.description}>
                {group.description}
              </Cell>
              <Cell numeric>{group.members}</Cell>
              <Cell numeric>
                <CreditsText value={group.periodUsage} />
                {group.usagePercent !== null ? <UsageBar group={group} /> : null}
              </Cell>
              <Cell numeric>
                {group.periodLimit !== null ? (
                  <CreditsText value={group.periodLimit} />
                ) : (
                  <span className="text-slate-600">No limit</span>
                )}
                {group.overLimit ? (
                  <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">
                    Over limit
                  </span>
                ) : null}
              </Cell>
              <Cell>{group.createdBy}</Cell>
              <Cell className="tabular-nums">
                <span title={group.createdAt}>{group.createdAt.slice(0, 10)}</span>
              </Cell>
              <Cell className="tabular-nums">
                <span title={group.updatedAt}>{group.updatedAt.slice(0, 10)}</span>
              </Cell>
              <Cell className="text-right">
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
              </Cell>
            </ChangedRow>
          ))}
        </TableBody>
      </Table>
      {open?.kind === "create" ? (
        <GroupFormDialog
          period={period}
          onClose={close}
          // R46: the new group is shown to its creator whatever page it sorts onto: its details open.
          onCreated={(group) => setOpen({ kind: "details", group: { ...group, deleted: false } })}
        />
      ) : null}
      {open?.kind === "edit" ? <GroupFormDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "limit" ? <PeriodLimitDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "delete" ? <DeleteDialog group={open.group} period={period} onClose={close} /> : null}
      {open?.kind === "handle" ? <HandleDrawer groups={pickerGroups} period={period} onClose={close} /> : null}
      {open?.kind === "details" ? (
        <DetailsDrawer
          groupId={open.group.id}
          groupName={open.group.name}
          period={period}
          isHistorical={isHistorical}
          readOnlyReason={readOnlyReason}
          groups={pickerGroups}
          onClose={close}
          canManage={!viewer}
          canManagePermissions={canManagePermissions && !open.group.deleted}
          {...detailsActions(open.group.id)}
        />
      ) : null}
      {open?.kind === "unassigned-details" ? (
        <DetailsDrawer
          groupId={UNASSIGNED_ID}
          groupName="Unassigned"
          period={period}
          isHistorical={isHistorical}
          readOnlyReason={readOnlyReason}
          groups={pickerGroups}
          onClose={close}
          unassigned={list.unassigned}
        />
      ) : null}
    </>
  );
}

/** Closing a linked group's drawer drops `group` from the URL, so a reload or the same link again works. */
function useUnlinkGroup() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return useCallback(() => {
    const params = new URLSearchParams(searchParams.toString());
    params.delete("group");
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  }, [router, pathname, searchParams]);
}

/** A row's name, opening its details drawer. */
function DetailsLink({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="text-left text-indigo-800 underline-offset-2 hover:underline" onClick={onClick}>
      {children}
    </button>
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
  const next = nextSort(sort, sortKey);
  const params = new URLSearchParams(searchParams.toString());
  params.set("sort", next.key);
  params.set("dir", next.direction);
  // A new order starts again from its first page.
  params.delete("page");
  return (
    <SortableHeaderCell
      label={label}
      href={`${pathname}?${params.toString()}`}
      direction={sort.key === sortKey ? sort.direction : null}
      numeric={numeric}
    />
  );
}

/** Issue 18: usage against the limit at a glance, under the row's Period Usage. */
function UsageBar({ group }: { group: BillingGroupRowDto }) {
  const format = useCreditsFormat();
  return (
    <div className="mt-1 ml-auto w-24">
      <Progress
        size="small"
        label={`${group.name} usage of limit`}
        percent={group.usagePercent ?? 0}
        valueText={`${format(group.periodUsage)} of ${format(group.periodLimit ?? "0")} Credits`}
        over={group.overLimit}
      />
    </div>
  );
}
