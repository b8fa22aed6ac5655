"use client";

import { Tooltip } from "@/components/ui/tooltip";
import { CreditsText } from "@/components/locale-provider";
import type { PersonalLimitView } from "@/lib/usage/rules";

const NOT_CONFIGURED = "This member cannot use Credits until a personal usage limit above 0 is set.";
const GROUP_DEFAULT =
  "Inherited: the billing group's Default Personal Limit, because this member has no personal usage limit of their own.";

const ids = (scope: string) => ({
  notConfigured: `${scope}-limit-not-configured`,
  groupDefault: `${scope}-limit-default`,
});

/**
 * The descriptions the cells of one table point at (R18, R42), rendered once beside the table so
 * the cells' own text stays what a sighted user reads. `scope` must be unique on the page.
 */
export function PersonalLimitDescriptions({ scope }: { scope: string }) {
  const id = ids(scope);
  return (
    <>
      <p id={id.notConfigured} hidden>
        {NOT_CONFIGURED}
      </p>
      <p id={id.groupDefault} hidden>
        {GROUP_DEFAULT}
      </p>
    </>
  );
}

/**
 * A member's personal limit in a table cell (R18, R42): their own limit as a number; the billing
 * group's default as "100 (group default)", described for screen readers; no limit (or their own
 * 0) as a warning. `scope` is that of the table's `PersonalLimitDescriptions`.
 */
export function PersonalLimitValue({ limit, scope }: { limit: PersonalLimitView; scope: string }) {
  const id = ids(scope);
  if (limit.source === "billing_group_default") {
    return (
      <span aria-describedby={id.groupDefault} className="whitespace-nowrap">
        <CreditsText value={limit.limit ?? "0"} />{" "}
        <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900">(group default)</span>
      </span>
    );
  }
  if (limit.limit !== null && limit.limit !== "0") return <CreditsText value={limit.limit} />;
  return (
    // One tab stop per row would be too many: the tooltip is for pointers, the member's own page
    // (and the "Limit not configured" filter) say it in words.
    <Tooltip content={NOT_CONFIGURED}>
      <span
        aria-describedby={id.notConfigured}
        className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900"
      >
        ⚠ Not configured
      </span>
    </Tooltip>
  );
}
