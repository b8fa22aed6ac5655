"use client";

import { useId } from "react";
import { Tooltip } from "@/components/ui/tooltip";
import type { PersonalLimitView } from "@/lib/usage/rules";

const NOT_CONFIGURED = "This member cannot use Credits until a personal usage limit above 0 is set.";
const GROUP_DEFAULT =
  "Inherited: the billing group's Default Personal Limit, because this member has no personal usage limit of their own.";

/**
 * A member's personal limit in a table cell (R18, R42): their own limit as a number; the billing
 * group's default as "100 (group default)" with a description a screen reader announces; no limit
 * (or their own 0) as a warning. One description element per cell: the cell needs no page-level id.
 */
export function PersonalLimitValue({ limit }: { limit: PersonalLimitView }) {
  const id = useId();
  if (limit.source === "billing_group_default") {
    return (
      <span aria-describedby={id}>
        {limit.limit}{" "}
        <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900">(group default)</span>
        <span id={id} hidden>
          {GROUP_DEFAULT}
        </span>
      </span>
    );
  }
  if (limit.limit !== null && limit.limit !== "0") return <>{limit.limit}</>;
  return (
    // One tab stop per row would be too many: the tooltip is for pointers, the member's own page
    // (and the "Limit not configured" filter) say it in words.
    <Tooltip content={NOT_CONFIGURED}>
      <span aria-describedby={id} className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
        ⚠ Not configured
        <span id={id} hidden>
          {NOT_CONFIGURED}
        </span>
      </span>
    </Tooltip>
  );
}
