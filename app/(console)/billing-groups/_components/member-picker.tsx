"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import type { MemberSearchDto } from "@/lib/billing-groups/dto";
import { fetchConsoleJson } from "@/lib/console-fetch";

/**
 * Searchable multi-select of members: Unassigned ones (Handle, R10) or everyone outside a group
 * (details → Add Members). Data through React Query, re-fetched after every assignment.
 */
export function MemberPicker({
  scope,
  selected,
  onChange,
  label,
  disabled,
}: {
  scope: "unassigned" | "all" | string;
  selected: Set<string>;
  onChange: (next: Set<string>) => void;
  label: string;
  disabled?: boolean;
}) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const query = useQuery({
    queryKey: ["billing-groups", "member-search", scope, q],
    queryFn: () => fetchConsoleJson<MemberSearchDto>("/api/console/members/search", { q, scope }),
    placeholderData: keepPreviousData,
  });
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  const listId = `member-picker-${scope}`;
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={`${listId}-search`} className="text-sm font-medium text-slate-800">
        Search
      </label>
      <input
        id={`${listId}-search`}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        placeholder="Name or email"
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
      />
      {query.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {query.error.message}
        </p>
      ) : null}
      <fieldset
        className="max-h-72 overflow-y-auto rounded-md border border-slate-200"
        aria-busy={query.isFetching || undefined}
      >
        <legend className="sr-only">{label}</legend>
        {query.data && query.data.members.length === 0 ? (
          <p className="p-3 text-sm text-slate-600">{q ? "No members match this search." : "No members to show."}</p>
        ) : null}
        {!query.data && query.isPending ? <p className="p-3 text-sm text-slate-600">Loading members…</p> : null}
        <ul>
          {query.data?.members.map((m) => (
            <li key={m.id} className="border-b border-slate-100 last:border-0">
              <label className="flex cursor-pointer items-center gap-3 px-3 py-2 text-sm hover:bg-slate-50">
                <input type="checkbox" checked={selected.has(m.id)} onChange={() => toggle(m.id)} disabled={disabled} />
                <span className="font-medium">{m.name}</span>
                <span className="text-slate-600">{m.email}</span>
                {scope !== "unassigned" && scope !== "all" ? (
                  <span className="ml-auto text-xs text-slate-600">{m.billingGroup ?? "Unassigned"}</span>
                ) : null}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <p className="text-xs text-slate-600" aria-live="polite">
        {selected.size} selected{query.data?.more ? " · showing the first 50 matches; search to narrow" : ""}
      </p>
    </div>
  );
}
