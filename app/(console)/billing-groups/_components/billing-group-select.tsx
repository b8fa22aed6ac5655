"use client";

import { Combobox } from "@/components/ui/combobox";

/**
 * The `Billing Group` picker: live groups only (R13), optionally Unassigned. Searchable, since
 * an organization may have hundreds of billing groups.
 */
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
  const options = [
    ...(includeUnassigned ? [{ value: "unassigned", label: "Unassigned" }] : []),
    ...groups.map((g) => ({ value: g.id, label: g.name })),
  ];
  return (
    <Combobox
      label="Billing Group"
      options={options}
      value={value}
      onChange={onChange}
      disabled={disabled}
      placeholder="Choose a billing group…"
      searchLabel="Search billing groups"
      emptyText="No billing group matches this search."
    />
  );
}
