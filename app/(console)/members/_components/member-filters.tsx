"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Select } from "@/components/ui/field";
import type { Option } from "./choices";

type Props = { billingGroups: Option[]; roles: Option[] };

const FILTER_KEYS = ["q", "billingGroup", "role", "status", "limit"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** Search and filters live in the URL (shareable, survive reload); every change returns to page 1. */
export function MemberFilters({ billingGroups, roles }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [search, setSearch] = useState(params.get("q") ?? "");
  // Local copies so a control shows its new value at once, while the URL update is in flight.
  const [billingGroup, setBillingGroup] = useState(params.get("billingGroup") ?? "");
  const [role, setRole] = useState(params.get("role") ?? "");
  const [status, setStatus] = useState(params.get("status") ?? "active");
  const [limitNone, setLimitNone] = useState(params.get("limit") === "none");
  // The filters as last chosen, read synchronously: two quick changes must not race on a stale URL.
  const chosen = useRef<Record<FilterKey, string | null>>(
    Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k)])) as Record<FilterKey, string | null>,
  );
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function update(changes: Partial<Record<FilterKey, string | null>>) {
    chosen.current = { ...chosen.current, ...changes };
    const next = new URLSearchParams(params.toString());
    for (const key of [...FILTER_KEYS, "page"]) next.delete(key);
    for (const key of FILTER_KEYS) {
      const value = chosen.current[key];
      if (value) next.set(key, value);
    }
    startTransition(() => router.replace(`${pathname}?${next.toString()}`));
  }

  // Debounced, so typing a name costs one query, not one per keystroke.
  useEffect(() => () => clearTimeout(timer.current), []);
  function onSearch(value: string) {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => update({ q: value.trim() || null }), 300);
  }

  const onBillingGroup = (value: string) => {
    setBillingGroup(value);
    update({ billingGroup: value || null });
  };
  const onRole = (value: string) => {
    setRole(value);
    update({ role: value || null });
  };
  const onStatus = (value: string) => {
    setStatus(value);
    update({ status: value === "active" ? null : value });
  };
  const onLimitNone = (checked: boolean) => {
    setLimitNone(checked);
    update({ limit: checked ? "none" : null });
  };
  return (
    <form
      role="search"
      aria-label="Filter members"
      aria-busy={pending || undefined}
      className="mb-4 flex flex-wrap items-end gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        update({ q: search.trim() || null });
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="member-search" className="text-sm font-medium text-slate-800">
          Search
        </label>
        <input
          id="member-search"
          type="search"
          placeholder="Name or email"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      <Select
        id="filter-billing-group"
        label="Billing Group"
        value={billingGroup}
        onChange={(e) => onBillingGroup(e.target.value)}
        options={[{ value: "", label: "All billing groups" }, ...billingGroups]}
      />
      <Select
        id="filter-role"
        label="Role"
        value={role}
        onChange={(e) => onRole(e.target.value)}
        options={[{ value: "", label: "All roles" }, ...roles]}
      />
      <Select
        id="filter-status"
        label="Status"
        value={status}
        onChange={(e) => onStatus(e.target.value)}
        options={[
          { value: "active", label: "Active" },
          { value: "deactivated", label: "Deactivated" },
          { value: "all", label: "All" },
        ]}
      />
      <label className="flex items-center gap-2 pb-1.5 text-sm text-slate-800">
        <input type="checkbox" checked={limitNone} onChange={(e) => onLimitNone(e.target.checked)} />
        Limit not configured
      </label>
    </form>
  );
}
