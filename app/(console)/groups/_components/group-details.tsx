"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, useActionCall } from "../../members/_components/use-action-call";
import { addGroupMembersAction, removeGroupMemberAction, searchGroupCandidatesAction } from "../actions";
import { DeleteGroupDialog, GroupFormDialog, type GroupView } from "./group-dialogs";

type MemberRow = { id: string; name: string; email: string; added: string };
type Candidate = { id: string; name: string; email: string };

export function GroupDetails({ group, members }: { group: GroupView; members: MemberRow[] }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  const remove = useActionCall(removeGroupMemberAction);
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
      <FormError message={remove.error} />
      <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Group members" className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Email
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Added
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-8 text-center text-slate-600">
                  No members yet. Use Add Members.
                </td>
              </tr>
            ) : null}
            {members.map((m) => (
              <tr key={m.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <Link href={`/members/${m.id}`} className="text-indigo-800 hover:underline">
                    {m.name}
                  </Link>
                </td>
                <td className="px-3 py-2">{m.email}</td>
                <td className="px-3 py-2">{m.added}</td>
                <td className="px-3 py-2 text-right">
                  <Button
                    variant="secondary"
                    disabled={remove.pending}
                    onClick={() => remove.run({ groupId: group.id, memberId: m.id })}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {adding ? <AddMembersDialog groupId={group.id} onClose={() => setAdding(false)} /> : null}
      {editing ? <GroupFormDialog open group={group} onOpenChange={setEditing} /> : null}
      {deleting ? <DeleteGroupDialog open group={group} onOpenChange={setDeleting} afterDelete="/groups" /> : null}
    </>
  );
}

/** Searchable multi-select of active org members not yet in the group (R6). */
function AddMembersDialog({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const [search, setSearch] = useState("");
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [selected, setSelected] = useState<Map<string, Candidate>>(new Map());
  const [searchError, setSearchError] = useState<string | null>(null);
  const add = useActionCall(addGroupMembersAction);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await searchGroupCandidatesAction({ groupId, search });
      if (cancelled) return;
      if (result.ok) {
        setCandidates(result.data);
        setSearchError(null);
      } else setSearchError(result.error);
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [groupId, search]);

  function toggle(candidate: Candidate, on: boolean) {
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(candidate.id, candidate);
      else next.delete(candidate.id);
      return next;
    });
  }

  const shown = [...candidates, ...[...selected.values()].filter((s) => !candidates.some((c) => c.id === s.id))];
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Add members" wide>
      <div className="flex flex-col gap-3">
        <FormError message={add.error ?? searchError} />
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
        <fieldset className="max-h-80 overflow-y-auto rounded-md border border-slate-200">
          <legend className="sr-only">Members to add</legend>
          {shown.length === 0 ? (
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
