"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { useServerAction } from "@/components/ui/use-server-action";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { addGroupMembersAction, removeGroupMemberAction } from "../actions";
import { DeleteGroupDialog, GroupFormDialog, type GroupView } from "./group-dialogs";

type MemberRow = { id: string; name: string; email: string; added: string };
type Candidate = { id: string; name: string; email: string };

export function GroupDetails({ group, members }: { group: GroupView; members: MemberRow[] }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const remove = useServerAction(removeGroupMemberAction, { success: "Removed from the group." });
  return (
    <>
      <div className="mb-2">
        <Link href="/groups" className="text-sm text-indigo-800 hover:underline">
          ← Groups
        </Link>
      </div>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{group.name}</h1>
          {group.description ? <p className="mt-1 max-w-3xl text-sm text-slate-700">{group.description}</p> : null}
        </div>
        <div className="flex gap-2">
          <Button onClick={() => setAdding(true)}>Add Members</Button>
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>
      <p className="mb-2 text-sm text-slate-700">
        {group.memberCount} member{group.memberCount === 1 ? "" : "s"}
        {group.memberCount > members.length ? ` — showing the first ${members.length} by name` : ""}
      </p>
      <Table label="Group members">
        <TableHead>
          <HeaderCell>Name</HeaderCell>
          <HeaderCell>Email</HeaderCell>
          <HeaderCell>Added</HeaderCell>
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {members.length === 0 ? <EmptyRow columns={4}>No members yet. Use Add Members.</EmptyRow> : null}
          {members.map((m) => (
            <TableRow key={m.id}>
              <Cell>
                <Link href={`/members/${m.id}`} className="text-indigo-800 hover:underline">
                  {m.name}
                </Link>
              </Cell>
              <Cell>{m.email}</Cell>
              <Cell>{m.added}</Cell>
              <Cell className="text-right">
                <Button variant="secondary" disabled={remove.pending} onClick={() => setRemoving(m)}>
                  Remove
                </Button>
              </Cell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            remove.reset();
            setRemoving(null);
          }
        }}
        title={`Remove ${removing?.name ?? ""} from ${group.name}?`}
        description="Only the membership ends: their role, billing group, limit and usage do not change."
        confirmLabel="Remove"
        pending={remove.pending}
        error={remove.error}
        onConfirm={() => removing && remove.run({ groupId: group.id, memberId: removing.id }, () => setRemoving(null))}
      />
      {adding ? <AddMembersDialog groupId={group.id} onClose={() => setAdding(false)} /> : null}
      {editing ? <GroupFormDialog open group={group} onOpenChange={setEditing} /> : null}
      {deleting ? <DeleteGroupDialog open group={group} onOpenChange={setDeleting} afterDelete="/groups" /> : null}
    </>
  );
}

/** Searchable multi-select of active org members not yet in the group (R6). */
function AddMembersDialog({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<Map<string, Candidate>>(new Map());
  const add = useServerAction(addGroupMembersAction, {
    success: (r) => `Added ${r.added} member${r.added === 1 ? "" : "s"} to the group.`,
  });
  const q = useDeferredValue(search);
  const candidates = useQuery({
    queryKey: ["groups", "candidates", groupId, q],
    queryFn: () =>
      fetchConsoleJson<Candidate[]>(`/api/console/groups/${encodeURIComponent(groupId)}/candidates`, { search: q }),
    placeholderData: keepPreviousData,
  });

  function toggle(candidate: Candidate, on: boolean) {
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(candidate.id, candidate);
      else next.delete(candidate.id);
      return next;
    });
  }

  const found = candidates.data ?? [];
  // Chosen members stay listed (and checked) while the search moves on to the next one.
  const shown = [...found, ...[...selected.values()].filter((s) => !found.some((c) => c.id === s.id))];
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Add members" wide>
      <div className="flex flex-col gap-3">
        <FormError message={add.error ?? candidates.error?.message} />
        <div className="flex flex-col gap-1">
          <label htmlFor="add-members-search" className="text-sm font-medium text-slate-800">
            Search
          </label>
          <input
            id="add-members-search"
            type="search"
            placeholder="Name or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
        </div>
        <fieldset
          className="max-h-80 overflow-y-auto rounded-md border border-slate-200"
          aria-busy={candidates.isFetching || undefined}
        >
          <legend className="sr-only">Members to add</legend>
          {candidates.data && shown.length === 0 ? (
            <p className="p-3 text-sm text-slate-600">No matching members outside this group.</p>
          ) : null}
          {shown.map((c) => (
            <label
              key={c.id}
              className="flex items-center gap-2 border-b border-slate-100 px-3 py-1.5 text-sm last:border-0"
            >
              <input type="checkbox" checked={selected.has(c.id)} onChange={(e) => toggle(c, e.target.checked)} />
              <span>
                {c.name} <span className="text-slate-600">({c.email})</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="flex items-center justify-between">
          <span className="text-sm text-slate-700" aria-live="polite">
            {selected.size} selected
          </span>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button
              disabled={selected.size === 0 || add.pending}
              onClick={() => add.run({ groupId, memberIds: [...selected.keys()] }, onClose)}
            >
              Add Members
            </Button>
          </div>
        </div>
      </div>
    </Dialog>
  );
}
