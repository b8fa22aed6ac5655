// R43: the Members import file — header mapping, cells, rows and the file-level checks. Pure: the
// browser's quick look (papaparse on the chosen file) and the server (the authority, stream-parsing
// the upload) read a file with the same code.
import { parseCredits } from "@/lib/credits/rules";
import { DomainError } from "@/lib/errors";
import { FORMULA_TRIGGER } from "@/lib/export/csv";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "@/lib/limits";
import { hasControlCharacter } from "@/lib/validation/control-characters";

/** The columns, as the header names them (R43) and as Download current assignments writes them. */
export const IMPORT_COLUMNS = {
  email: "Email",
  billingGroup: "Billing Group",
  personalLimit: "Personal Usage Limit",
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;
export const IMPORT_HEADER = [IMPORT_COLUMNS.email, IMPORT_COLUMNS.billingGroup, IMPORT_COLUMNS.personalLimit];
const HEADER_TEXT = IMPORT_HEADER.join(",");

export const UNASSIGNED_NAME = "Unassigned";

/** A bad file: nothing of it is imported, and the message says what to fix. */
export class ImportFileError extends DomainError {
  constructor(message: string) {
    super("invalid_input", message);
  }
}

export class ImportTooLargeError extends DomainError {
  constructor() {
    super("too_large", `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`);
  }
}

export const NOT_UTF8_MESSAGE = "The file is not UTF-8 text. Save it as “CSV UTF-8” and choose it again.";
export const UTF16_MESSAGE = "The file is UTF-16 text. Save it as “CSV UTF-8” and choose it again.";

/** A UTF-16 byte order mark (either byte order) at the start of a file. */
export function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

export type HeaderMapping = {
  /** Cells per row. */
  width: number;
  email: number;
  billingGroup: number | null;
  personalLimit: number | null;
};

const quoted = (text: string) => `“${text.length > 60 ? `${text.slice(0, 60)}…` : text}”`;
const normalise = (name: string) =>
  name
    .replace(/^\ufeff/, "")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
const BY_NAME = new Map(
  (Object.entries(IMPORT_COLUMNS) as [ImportColumn, string][]).map(([key, name]) => [name.toLowerCase(), key]),
);

/**
 * The header row: the three column names in any order, matched case-insensitively. Email is
 * required and at least one of the other two; an unknown, unnamed or repeated column is an error
 * that names it.
 */
export function mapImportHeader(cells: string[]): HeaderMapping {
  if (cells.length === 1 && /[;\t|]/.test(cells[0] ?? "")) {
    const separator = /;/.test(cells[0]!) ? "“;”" : /\t/.test(cells[0]!) ? "tabs" : "“|”";
    throw new ImportFileError(
      `The columns must be separated by commas (this file uses ${separator}). The header is ${HEADER_TEXT}.`,
    );
  }
  const found: Partial<Record<ImportColumn, number>> = {};
  const unknown: string[] = [];
  for (const [index, cell] of cells.entries()) {
    const key = BY_NAME.get(normalise(cell));
    if (!key) {
      unknown.push(normalise(cell) === "" ? `column ${index + 1} (no name)` : quoted(cell.trim()));
      continue;
    }
    if (found[key] !== undefined)
      throw new ImportFileError(`The column ${quoted(IMPORT_COLUMNS[key])} appears twice in the header.`);
    found[key] = index;
  }
  if (unknown.length > 0)
    throw new ImportFileError(
      `Unknown ${unknown.length === 1 ? "column" : "columns"} in the header: ${unknown.join(", ")}. The header is ${HEADER_TEXT} (in any order).`,
    );
  if (found.email === undefined)
    throw new ImportFileError(`The header has no Email column. The header is ${HEADER_TEXT} (in any order).`);
  if (found.billingGroup === undefined && found.personalLimit === undefined)
    throw new ImportFileError(
      "The header needs a Billing Group column, a Personal Usage Limit column, or both: there is nothing else to import.",
    );
  return {
    width: cells.length,
    email: found.email,
    billingGroup: found.billingGroup ?? null,
    personalLimit: found.personalLimit ?? null,
  };
}

/**
 * A cell as text: trimmed, and a `'` that Download current assignments put before a
 * formula-looking value (R27) taken off again, so the round trip gives back the same name. Nothing
 * is ever evaluated: `=SUM(A1)` is the text "=SUM(A1)".
 */
export function importCell(raw: string | undefined): string {
  const text = (raw ?? "").trim();
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

/** Why a value that matched nothing may have been meant as a formula (it is read as text). */
function formulaHint(value: string): string {
  return FORMULA_TRIGGER.test(value)
    ? " It looks like a spreadsheet formula; it was read as text, never evaluated."
    : "";
}

export type BillingGroupChange = { kind: "unchanged" } | { kind: "unassigned" } | { kind: "named"; name: string };
export type LimitChange = { kind: "unchanged" } | { kind: "set"; value: bigint };

/** One data row of the file, read but not yet compared with the organization. */
export type ImportRow = {
  /** The row's line in the file (the header is line 1), as a spreadsheet numbers it. */
  line: number;
  /** As written (trimmed); "" when missing or unusable. */
  email: string;
  billingGroup: BillingGroupChange;
  personalLimit: LimitChange;
  /** What is wrong with the row's own cells; the organization adds its own errors later. */
  errors: string[];
};

/** Longest email and billing group name worth looking up (R2 emails, R11 names). */
const MAX_EMAIL_LENGTH = 320;
const MAX_GROUP_NAME_LENGTH = 100;

export const CREDITS_MESSAGE = "use a number with at most 2 decimals, e.g. 250 or 12.5";

export function parseImportRow(cells: string[], mapping: HeaderMapping, line: number): ImportRow {
  const row: ImportRow = {
    line,
    email: "",
    billingGroup: { kind: "unchanged" },
    personalLimit: { kind: "unchanged" },
    errors: [],
  };
  const rawEmail = importCell(cells[mapping.email]);
  if (cells.length !== mapping.width) {
    row.email = hasControlCharacter(rawEmail) ? "" : rawEmail.slice(0, MAX_EMAIL_LENGTH);
    row.errors.push(
      `This row has ${cells.length} ${cells.length === 1 ? "cell" : "cells"}; the header has ${mapping.width}.`,
    );
    return row;
  }
  const cell = (column: ImportColumn, index: number): string | null => {
    const value = importCell(cells[index]);
    if (!hasControlCharacter(value)) return value;
    row.errors.push(`${IMPORT_COLUMNS[column]}: remove control characters (such as NUL) from this cell.`);
    return null;
  };

  const email = cell("email", mapping.email);
  if (email === "") row.errors.push("Email is empty.");
  else if (email !== null && email.length > MAX_EMAIL_LENGTH)
    row.errors.push(`Email is longer than ${MAX_EMAIL_LENGTH} characters: no member has it.`);
  else if (email !== null) row.email = email;

  if (mapping.billingGroup !== null) {
    const name = cell("billingGroup", mapping.billingGroup);
    if (name && name.toLowerCase() === UNASSIGNED_NAME.toLowerCase()) row.billingGroup = { kind: "unassigned" };
    else if (name && name.length > MAX_GROUP_NAME_LENGTH)
      row.errors.push(`No billing group is named ${quoted(name)}.${formulaHint(name)}`);
    else if (name) row.billingGroup = { kind: "named", name };
  }

  if (mapping.personalLimit !== null) {
    const text = cell("personalLimit", mapping.personalLimit);
    if (text) {
      const value = parseCredits(text);
      if (value !== null) row.personalLimit = { kind: "set", value };
      else if (/^-\s*\d/.test(text)) row.errors.push(`Personal Usage Limit cannot be negative (${quoted(text)}).`);
      else
        row.errors.push(`Personal Usage Limit ${quoted(text)} is not Credits: ${CREDITS_MESSAGE}.${formulaHint(text)}`);
    }
  }
  return row;
}

/** Why an email that is in no member of the organization was not found. */
export function unknownEmailMessage(email: string): string {
  return `No member has the email ${quoted(email)}.${formulaHint(email)}`;
}

export function unknownGroupMessage(name: string): string {
  return `No billing group is named ${quoted(name)}.${formulaHint(name)}`;
}

export function deletedGroupMessage(name: string): string {
  return `The billing group ${quoted(name)} was deleted.`;
}

/**
 * Reads a file record by record (papaparse hands them over as it parses), so the row cap stops a
 * long file at its 50,001st row. The first record is the header; records whose cells are all empty
 * are skipped but keep their line number.
 */
export class ImportFileReader {
  private mapping: HeaderMapping | null = null;
  private line = 0;
  private readonly rows: ImportRow[] = [];

  constructor(private readonly maxRows = MAX_IMPORT_ROWS) {}

  accept(cells: string[]): void {
    this.line += 1;
    if (!this.mapping) {
      if (cells.every((c) => c.replace(/^\ufeff/, "").trim() === ""))
        throw new ImportFileError(`The first line must be the header: ${HEADER_TEXT}.`);
      this.mapping = mapImportHeader(cells);
      return;
    }
    if (cells.every((c) => c.trim() === "")) return;
    if (this.rows.length >= this.maxRows)
      throw new ImportFileError(
        `The file has more than ${this.maxRows.toLocaleString("en-US")} rows. Split it into files of at most ${this.maxRows.toLocaleString("en-US")} rows.`,
      );
    this.rows.push(parseImportRow(cells, this.mapping, this.line));
  }

  /** The line number of the record read last (for messages about malformed CSV). */
  get currentLine(): number {
    return this.line;
  }

  /** The rows, with every repeated email marked on each of its lines. */
  finish(): ImportRow[] {
    if (!this.mapping)
      throw new ImportFileError(`The file is empty. The first line must be the header: ${HEADER_TEXT}.`);
    if (this.rows.length === 0) throw new ImportFileError("The file has a header but no rows to import.");
    markDuplicateEmails(this.rows);
    return this.rows;
  }
}

/** R43: an email twice in one file is an error on each of its lines (which one was meant?). */
export function markDuplicateEmails(rows: ImportRow[]): void {
  const lines = new Map<string, ImportRow[]>();
  for (const row of rows) {
    if (!row.email) continue;
    const key = row.email.toLowerCase();
    const same = lines.get(key);
    if (same) same.push(row);
    else lines.set(key, [row]);
  }
  for (const same of lines.values()) {
    if (same.length < 2) continue;
    for (const row of same) row.errors.push(duplicateMessage(same.filter((r) => r !== row).map((r) => r.line)));
  }
}

export function duplicateMessage(otherLines: number[]): string {
  const shown = otherLines.slice(0, 3).join(", ");
  const more = otherLines.length > 3 ? ` and ${otherLines.length - 3} more` : "";
  return `Duplicate email: also on line${otherLines.length === 1 ? "" : "s"} ${shown}${more}.`;
}
