// Pure helpers for the Audit Log page (R36): filter parsing and readable before → after changes.

import { isUuid } from "@/lib/ids";

export { AUDIT_PAGE_SIZE } from "@/lib/limits";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Microsecond precision: entries written in one transaction share created_at to the microsecond.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f-]{36})$/i;

/** A `YYYY-MM-DD` calendar day as its UTC midnight, or null when malformed or not a real date. */
export function parseUtcDay(value: string): Date | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return null;
  return date;
}

export function addUtcDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** Keyset position of an entry: its creation time (µs, UTC) and id, the page order's tiebreaker. */
export type AuditCursor = { createdAt: string; id: string };

export function encodeCursor(cursor: AuditCursor): string {
  return `${cursor.createdAt}~${cursor.id}`;
}

export function decodeCursor(value: string): AuditCursor | null {
  const match = CURSOR.exec(value);
  if (!match || !isUuid(match[2]!)) return null;
  if (Number.isNaN(new Date(match[1]!).getTime())) return null;
  return { createdAt: match[1]!, id: match[2]!.toLowerCase() };
}

export type AuditChange = { key: string; before: string; after: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatAuditValue(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * The keys whose values differ between `before` and `after`, in first-seen order. A creation shows
 * every key as — → value, a deletion value → —. Non-object snapshots compare as one `value` key.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = isRecord(before) ? before : before === null || before === undefined ? {} : { value: before };
  const a = isRecord(after) ? after : after === null || after === undefined ? {} : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((key) => JSON.stringify(b[key] ?? null) !== JSON.stringify(a[key] ?? null))
    .map((key) => ({ key, before: formatAuditValue(b[key]), after: formatAuditValue(a[key]) }));
}

/** R43: the import an entry was written by (`after.importId`), or null. */
export function importIdOf(after: unknown): string | null {
  return isRecord(after) && typeof after.importId === "string" && isUuid(after.importId) ? after.importId : null;
}

/** `2026-11-24 11:22:49 UTC`: the log is read across time zones, so it speaks UTC only. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
