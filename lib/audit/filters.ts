// Audit Log filters from the URL (R36). Pure: a bad value is dropped with a note the page shows,
// never passed to the database and never a crash.
import type { AuditListParams } from "./queries";
import { isUuid } from "@/lib/ids";
import { addUtcDays, decodeCursor, parseUtcDay } from "./rules";

export type SearchParams = Record<string, string | string[] | undefined>;
type Options = { actors: { id: string; kind: "member" | "api_key" }[]; actions: string[]; targetTypes: string[] };

export type AuditFilterValues = {
  actor: string;
  action: string;
  targetType: string;
  q: string;
  from: string;
  to: string;
  /** R43: the entries of one Members import. */
  import: string;
};

export type ParsedAuditFilters = {
  /** The query, minus orgId, for `listAuditEntries`. */
  query: Omit<AuditListParams, "orgId">;
  /** What the form shows: only values that were applied. */
  values: AuditFilterValues;
  notes: string[];
};

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
const quote = (value: string) => `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;

export function parseAuditFilters(sp: SearchParams, options: Options): ParsedAuditFilters {
  const notes: string[] = [];
  const values: AuditFilterValues = { actor: "", action: "", targetType: "", q: "", from: "", to: "", import: "" };
  const query: Omit<AuditListParams, "orgId"> = {};

  const actor = one(sp.actor);
  if (actor) {
    const known = isUuid(actor) ? options.actors.find((a) => a.id === actor.toLowerCase()) : undefined;
    if (known?.kind === "api_key") query.actorApiKeyId = values.actor = known.id;
    else if (known) query.actorId = values.actor = known.id;
    else notes.push(`Ignored the Actor filter: ${quote(actor)} is not a member or API key with audit entries.`);
  }
  const action = one(sp.action);
  if (action) {
    if (options.actions.includes(action)) query.action = values.action = action;
    else notes.push(`Ignored the Action filter: no entries have the action ${quote(action)}.`);
  }
  const targetType = one(sp.targetType);
  if (targetType) {
    if (options.targetTypes.includes(targetType)) query.targetType = values.targetType = targetType;
    else notes.push(`Ignored the Target type filter: no entries have the target type ${quote(targetType)}.`);
  }
  const importId = one(sp.import);
  if (importId) {
    if (isUuid(importId)) query.importId = values.import = importId.toLowerCase();
    else notes.push(`Ignored the Import filter: ${quote(importId)} is not an import id.`);
  }
  const q = one(sp.q);
  if (q) query.target = values.q = q.slice(0, 200);

  const from = one(sp.from);
  if (from) {
    const day = parseUtcDay(from);
    if (day) {
      query.from = day;
      values.from = from;
    } else notes.push(`Ignored From: ${quote(from)} is not a date (YYYY-MM-DD).`);
  }
  const to = one(sp.to);
  if (to) {
    const day = parseUtcDay(to);
    if (day) {
      // To is inclusive: the whole UTC day.
      query.to = addUtcDays(day, 1);
      values.to = to;
    } else notes.push(`Ignored To: ${quote(to)} is not a date (YYYY-MM-DD).`);
  }
  if (query.from && query.to && query.from >= query.to) notes.push("From is after To, so no entry can match.");

  const older = one(sp.older);
  const newer = one(sp.newer);
  if (older || newer) {
    const cursor = decodeCursor(older || newer);
    if (!cursor) notes.push("Ignored the page position in the link: showing the newest entries.");
    else if (older) query.before = cursor;
    else query.after = cursor;
  }
  return { query, values, notes };
}

/** The URL of the same filters at another page position (or the first page when none). */
export function auditLogHref(values: AuditFilterValues, position?: { older?: string; newer?: string }): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
  if (position?.older) next.set("older", position.older);
  if (position?.newer) next.set("newer", position.newer);
  const query = next.toString();
  return query ? `/audit-log?${query}` : "/audit-log";
}
