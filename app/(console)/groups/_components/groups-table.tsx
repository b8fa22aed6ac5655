"use client";

import Link from "next/link";
import { useState } from "react";
import { SearchBox } from "@/components/search-box";
import { ActionsMenu } from "@/components/ui/actions-menu";
import { Button } from "@/components/ui/button";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead } from "@/components/ui/table";
import { ChangedRow } from "@/components/ui/changed-rows";
import { DeleteGroupDialog, GroupFormDialog, type GroupView } from "./group-dialogs";

type Row = GroupView & { created: string };

export function GroupsScreen({ rows, search }: { rows: Row[]; search: string }) {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Row | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  return (
    <>
      <div className="mb-6 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Groups</h1>
        <Button onClick={() => setCreating(true)}>Create</Button>
      </div>
      <p className="mb-4 max-w-3xl text-sm text-slate-700">
        Groups organize members for access and collaboration. They never change a member&apos;s role, billing group,
        limits or Credits attribution.
      </p>
      <div className="mb-3">
        <SearchBox label="Search groups" placeholder="Name or description" />
      </div>
      <Table label="Groups">
        <TableHead>
          <HeaderCell>Name</HeaderCell>
          <HeaderCell>Description</HeaderCell>
          <HeaderCell numeric>Members</HeaderCell>
          <HeaderCell>Created</HeaderCell>
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {rows.length === 0 ? (
            <EmptyRow columns={5}>
              {search
                ? `No group’s name or description contains “${search}”.`
                : "No groups yet. Create one to organize members."}
            </EmptyRow>
          ) : null}
          {rows.map((row) => (
            <ChangedRow key={row.id} id={row.id}>
              <Cell>
                <Link href={`/groups/${row.id}`} className="font-medium text-indigo-800 hover:underline">
                  {row.name}
                </Link>
              </Cell>
              <Cell className="text-slate-700">{row.description}</Cell>
              <Cell numeric>{row.memberCount}</Cell>
              <Cell>{row.created}</Cell>
              <Cell className="text-right">
                <ActionsMenu
                  actions={[
                    { label: "Edit", onSelect: () => setEditing(row) },
                    { label: "Delete", danger: true, onSelect: () => setDeleting(row) },
                  ]}
                />
              </Cell>
            </ChangedRow>
          ))}
        </TableBody>
      </Table>
      {creating ? <GroupFormDialog open onOpenChange={setCreating} /> : null}
      {editing ? <GroupFormDialog open group={editing} onOpenChange={(open) => !open && setEditing(null)} /> : null}
      {deleting ? (
        <DeleteGroupDialog open group={deleting} onOpenChange={(open) => !open && setDeleting(null)} />
      ) : null}
    </>
  );
}
