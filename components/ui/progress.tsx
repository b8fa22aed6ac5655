// Plain module (no "use client"): server pages and client drawers draw the same bar.

/**
 * A usage bar. `percent` comes from the one formula, `usagePercent(used, limit)` in
 * lib/billing-groups/rules.ts (capped at 100: over the limit shows a full bar plus `over`).
 */
export function Progress({
  label,
  percent,
  valueText,
  over = false,
  size = "regular",
}: {
  label: string;
  percent: number;
  /** What a screen reader says instead of a bare percentage, e.g. "250 of 400 Credits". */
  valueText?: string;
  over?: boolean;
  /** "small": a thin bar inside a table cell. */
  size?: "regular" | "small";
}) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      aria-valuetext={valueText}
      className={`${size === "small" ? "h-1.5" : "h-3"} w-full overflow-hidden rounded-full bg-slate-200`}
    >
      <div className={`h-full ${over ? "bg-red-600" : "bg-indigo-600"}`} style={{ width: `${clamped}%` }} />
    </div>
  );
}
