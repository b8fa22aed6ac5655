"use client";

import Link from "next/link";
import { useState } from "react";
import { ActionsMenu } from "@/components/ui/actions-menu";
import { Button } from "@/components/ui/button";
import { DeleteGroupDialog, GroupFormDialog, type GroupView } from "./group-dialogs";

type Row = GroupView & { created: string };

export function GroupsScreen({ rows }: { rows: Row[] }) {
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
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Groups" className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Description
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Members
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-8 text-center text-slate-600">
                  No groups yet. Create one to organize members.
                </td>
              </tr>
            ) : null}
            {rows.map((row) => (
              <tr key={row.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <Link href={`/groups/${row.id}`} className="font-medium text-indigo-800 hover:underline">
                    {row.name}
                  </Link>
                </td>
                <td className="px-3 py-2 text-slate-700">{row.description}</td>
                <td className="px-3 py-2 text-right tabular-nums">{row.memberCount}</td>
                <td className="px-3 py-2">{row.created}</td>
                <td className="px-3 py-2 text-right">
                  <ActionsMenu
                    actions={[
                      { label: "Edit", onSelect: () => setEditing(row) },
                      { label: "Delete", danger: true, onSelect: () => setDeleting(row) },
                    ]}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {creating ? <GroupFormDialog open onOpenChange={setCreating} /> : null}
      {editing ? <GroupFormDialog open group={editing} onOpenChange={(open) => !open && setEditing(null)} /> : null}
      {deleting ? (
        <DeleteGroupDialog open group={deleting} onOpenChange={(open) => !open && setDeleting(null)} />
      ) : null}
    </>
  );
}
