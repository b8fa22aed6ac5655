"use client";

import { useId } from "react";

/** The `Billing Group` picker: live groups only (R13), optionally Unassigned. */
export function BillingGroupSelect({
  groups,
  value,
  onChange,
  includeUnassigned,
  disabled,
}: {
  groups: { id: string; name: string }[];
  value: string;
  onChange: (value: string) => void;
  includeUnassigned?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Billing Group
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        <option value="">Choose a billing group…</option>
        {includeUnassigned ? <option value="unassigned">Unassigned</option> : null}
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
    </div>
  );
}
