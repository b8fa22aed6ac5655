"use client";

import { CreditsText } from "@/components/locale-provider";
import { ChangedRow } from "@/components/ui/changed-rows";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { ActionsMenu } from "@/components/ui/actions-menu";
import { Button } from "@/components/ui/button";
import { Cell, EmptyRow, HeaderCell, SortableHeaderCell, Table, TableBody, TableHead } from "@/components/ui/table";
import { PersonalLimitDescriptions, PersonalLimitValue } from "@/components/personal-limit-value";
import type { PersonalLimitView } from "@/lib/usage/rules";
import type { Option } from "./choices";
import { AssignBillingGroupDialog, PersonalLimitDialog } from "./member-dialogs";

export type MemberRowView = {
  id: string;
  name: string;
  email: string;
  roleLabel: string;
  billingGroupId: string | null;
  billingGroupName: string;
  /** The personal limit that applies: the member's own, or their billing group's default (R18, R42). */
  limit: PersonalLimitView;
  /** The member's own limit, for Set Personal Usage Limit ("" = none of their own). */
  limitInput: string;
  usageText: string;
  groupCount: number;
  deactivated: boolean;
  href: string;
};

type Props = {
  rows: MemberRowView[];
  period: string;
  billingGroups: Option[];
  /** Why mutations are unavailable (historical period, R23); undefined = allowed. */
  disabledReason?: string;
  sort: string;
  dir: "asc" | "desc";
};

type Target = { ids: string[]; subject: string; billingGroupId?: string | null; limit?: string };

const COLUMNS: { key: string; label: string; sort?: string; numeric?: boolean }[] = [
  { key: "name", label: "Name", sort: "name" },
  { key: "email", label: "Email", sort: "email" },
  { key: "role", label: "Role", sort: "role" },
  { key: "billingGroup", label: "Billing Group" },
  { key: "limit", label: "Personal Usage Limit", sort: "limit", numeric: true },
  { key: "usage", label: "Period Usage", sort: "usage", numeric: true },
  { key: "groups", label: "Groups", numeric: true },
];

export function MembersTable({ rows, period, billingGroups, disabledReason, sort, dir }: Props) {
  const pathname = usePathname();
  const params = useSearchParams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assign, setAssign] = useState<Target | null>(null);
  const [limit, setLimit] = useState<Target | null>(null);

  const selectable = rows.filter((r) => !r.deactivated);
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.id));
  const selectedIds = [...selected];
  const bulkSubject = `${selectedIds.length} selected member${selectedIds.length === 1 ? "" : "s"}`;
  const bulkReason = disabledReason ?? (selectedIds.length === 0 ? "Select members first." : undefined);

  function toggle(id: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function sortHref(key: string) {
    const next = new URLSearchParams(params.toString());
    const nextDir = sort === key && dir === "asc" ? "desc" : "asc";
    next.set("sort", key);
    next.set("dir", nextDir);
    next.delete("page");
    return `${pathname}?${next.toString()}`;
  }

  return (
    <>
      <div className="mb-2 flex items-center gap-2" role="toolbar" aria-label="Bulk actions">
        <span className="text-sm text-slate-700" aria-live="polite">
          {selectedIds.length} selected
        </span>
        <Button
          variant="secondary"
          disabledReason={bulkReason}
          onClick={() => setAssign({ ids: selectedIds, subject: bulkSubject })}
        >
          Assign
        </Button>
        <Button
          variant="secondary"
          disabledReason={bulkReason}
          onClick={() => setLimit({ ids: selectedIds, subject: bulkSubject })}
        >
          Set Personal Usage Limit
        </Button>
      </div>
      <PersonalLimitDescriptions scope="members" />
      <Table label="Members">
        <TableHead>
          <HeaderCell className="w-10">
            <input
              type="checkbox"
              aria-label="Select all members on this page"
              checked={allSelected}
              onChange={(e) => setSelected(e.target.checked ? new Set(selectable.map((r) => r.id)) : new Set())}
            />
          </HeaderCell>
          {COLUMNS.map((c) =>
            c.sort ? (
              <SortableHeaderCell
                key={c.key}
                label={c.label}
                href={sortHref(c.sort)}
                direction={sort === c.sort ? dir : null}
                numeric={c.numeric}
              />
            ) : (
              <HeaderCell key={c.key} numeric={c.numeric}>
                {c.label}
              </HeaderCell>
            ),
          )}
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {rows.length === 0 ? <EmptyRow columns={COLUMNS.length + 2}>No members match these filters.</EmptyRow> : null}
          {rows.map((row) => (
            <ChangedRow key={row.id} id={row.id}>
              <Cell>
                <input
                  type="checkbox"
                  aria-label={`Select ${row.name}`}
                  disabled={row.deactivated}
                  checked={selected.has(row.id)}
                  onChange={(e) => toggle(row.id, e.target.checked)}
                />
              </Cell>
              <Cell>
                <Link href={row.href} className="font-medium text-indigo-800 hover:underline">
                  {row.name}
                </Link>
                {row.deactivated ? (
                  <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-800">Deactivated</span>
                ) : null}
              </Cell>
              <Cell>{row.email}</Cell>
              <Cell>{row.roleLabel}</Cell>
              <Cell>{row.billingGroupName}</Cell>
              <Cell numeric>
                <PersonalLimitValue limit={row.limit} scope="members" />
              </Cell>
              <Cell numeric>
                <CreditsText value={row.usageText} />
              </Cell>
              <Cell numeric>{row.groupCount}</Cell>
              <Cell className="text-right">
                <ActionsMenu
                  actions={[
                    {
                      label: "Assign",
                      disabled: Boolean(disabledReason) || row.deactivated,
                      disabledReason: disabledReason ?? "Reactivate the member first.",
                      onSelect: () =>
                        setAssign({ ids: [row.id], subject: row.name, billingGroupId: row.billingGroupId }),
                    },
                    {
                      label: "Set Personal Usage Limit",
                      disabled: Boolean(disabledReason),
                      disabledReason,
                      onSelect: () => setLimit({ ids: [row.id], subject: row.name, limit: row.limitInput }),
                    },
                  ]}
                />
              </Cell>
            </ChangedRow>
          ))}
        </TableBody>
      </Table>
      {assign ? (
        <AssignBillingGroupDialog
          open
          onOpenChange={(open) => !open && setAssign(null)}
          memberIds={assign.ids}
          period={period}
          subject={assign.subject}
          billingGroups={billingGroups}
          // One member: their current group. Several (bulk): no default, the admin chooses.
          initial={assign.billingGroupId === undefined ? undefined : (assign.billingGroupId ?? "unassigned")}
          // Issue 18: after a bulk change the selection is cleared, so the next one starts fresh.
          onDone={() => setSelected(new Set())}
        />
      ) : null}
      {limit ? (
        <PersonalLimitDialog
          open
          onOpenChange={(open) => !open && setLimit(null)}
          memberIds={limit.ids}
          period={period}
          subject={limit.subject}
          initial={limit.limit}
          onDone={() => setSelected(new Set())}
        />
      ) : null}
    </>
  );
}
