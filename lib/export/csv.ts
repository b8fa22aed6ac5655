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

// papaparse quotes a cell holding a quote, the delimiter, CR, LF or a byte order mark, or one that
// begins or ends with a space; a cell matching none of these is written as it is.
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;
const QUOTE = /"/g;

/**
 * One cell exactly as `Papa.unparse` writes it with the options above (csv.test.ts compares the
 * two on every character class that matters). The bill is the one hot path — 100,000 rows, 400,000
 * cells — and papaparse's general machinery per cell cost about as much as reading the rows from
 * PostgreSQL (docs/decisions.md), so the four known text columns get this specialised writer.
 */
export function billCsvCell(value: string): string {
  if (FORMULA_TRIGGER.test(value)) return `"'${value.replace(QUOTE, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One row from its four cells (group, member, email, credits text), CRLF-terminated. */
export function billCsvLine(billingGroup: string, memberName: string, email: string, credits: string): string {
  return `${billCsvCell(billingGroup)},${billCsvCell(memberName)},${billCsvCell(email)},${billCsvCell(credits)}${CRLF}`;
}

/** Any row of text cells, written and neutralised exactly like the bill's (R27), CRLF-terminated. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(billCsvCell).join(",")}${CRLF}`;
}

/** A batch of rows, each CRLF-terminated, so batches concatenate into one valid RFC 4180 file. */
export function billRowsCsv(rows: BillRow[]): string {
  let csv = "";
  for (const r of rows) csv += billCsvLine(r.billingGroup, r.memberName, r.email, r.credits);
  return csv;
}

/** R26: `billing-group-bills_<period>_<scope>.csv`, scope `all`, `unassigned` or the group's slug. */
export function billFileName(
  period: string,
  scope: { kind: "all" } | { kind: "unassigned" } | { kind: "group"; name: string; id: string },
): string {
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
