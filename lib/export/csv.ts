import Papa from "papaparse";

// R25: the bill's columns, exactly.
export const BILL_HEADER = ["Billing Group", "Member Name", "Email", "Credits Consumption"] as const;

export type BillRow = { billingGroup: string; memberName: string; email: string; credits: string };

/**
 * R27: a text cell that a spreadsheet would read as a formula or control sequence is prefixed with
 * `'` (and quoted). papaparse's default pattern, /^[=+\-@\t\r].*$/, misses a leading LF and any
 * value containing a newline (`.` does not match it), so we pass our own.
 */
export const FORMULA_TRIGGER = /^[=+\-@\t\r\n]/;

const CRLF = "\r\n";

function unparse(rows: string[][]): string {
  return Papa.unparse(rows, { newline: CRLF, escapeFormulae: FORMULA_TRIGGER, quotes: false, header: false });
}

/** The header line, CRLF-terminated. */
export function billHeaderCsv(): string {
  return unparse([[...BILL_HEADER]]) + CRLF;
}

/** A batch of rows, each CRLF-terminated, so batches concatenate into one valid RFC 4180 file. */
export function billRowsCsv(rows: BillRow[]): string {
  if (rows.length === 0) return "";
  return unparse(rows.map((r) => [r.billingGroup, r.memberName, r.email, r.credits])) + CRLF;
}

/** R26: `billing-group-bills_<period>_<scope>.csv`, scope `all`, `unassigned` or the group's slug. */
export function billFileName(period: string, scope: { kind: "all" } | { kind: "unassigned" } | { kind: "group"; name: string; id: string }): string {
  const label =
    scope.kind === "all"
      ? "all"
      : scope.kind === "unassigned"
        ? "unassigned"
        : scope.name
            .normalize("NFKD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "")
            .slice(0, 60) || scope.id;
  return `billing-group-bills_${period}_${label}.csv`;
}
