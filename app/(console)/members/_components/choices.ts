// Plain module (no "use client"): used by the server pages and the client forms alike.
export type Option = { value: string; label: string };

/** `Unassigned` first, then the live billing groups (R10, R13). */
export function billingGroupChoices(groups: { id: string; name: string }[]): Option[] {
  return [{ value: "unassigned", label: "Unassigned" }, ...groups.map((g) => ({ value: g.id, label: g.name }))];
}
