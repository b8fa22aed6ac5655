import "server-only";
import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { auditLog } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { likePattern } from "@/lib/text";
import { AUDIT_PAGE_SIZE, encodeCursor, type AuditCursor } from "./rules";
import type { AuditResolvedNames } from "./sentences";

export type AuditListParams = {
  orgId: string;
  actorId?: string;
  /** R44: the entries an API key wrote. */
  actorApiKeyId?: string;
  action?: string;
  targetType?: string;
  /** R43: the entries of one Members import (`after.importId`). */
  importId?: string;
  /** Exact target id, or text contained in the target's label. */
  target?: string;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  /** Entries older than this position (the "Older" link). */
  before?: AuditCursor;
  /** Entries newer than this position (the "Newer" link); ignored when `before` is set. */
  after?: AuditCursor;
  pageSize?: number;
};

export type AuditRow = {
  id: string;
  createdAt: Date;
  actorId: string | null;
  actorApiKeyId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string;
  before: unknown;
  after: unknown;
  /** Names of what the entry holds only ids of, looked up as the page is read (see `resolvedNames`). */
  names: AuditResolvedNames;
};

export type AuditPage = {
  rows: AuditRow[];
  /** Cursor for the next older page, when one exists. */
  older: string | null;
  /** Cursor for the next newer page, when one exists. */
  newer: string | null;
};

// created_at to the microsecond, in UTC, so a cursor names an exact position (JS Dates stop at ms).
const createdAtText = sql<string>`to_char(${auditLog.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const position = (c: AuditCursor) => sql`(${c.createdAt}::timestamptz, ${c.id}::uuid)`;

// Ids stored as JSON text are cast only once they look like one, so a malformed value reads as
// "no name" instead of failing the whole page; the casts let each lookup use its table's primary key.
const UUID_TEXT = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const asUuid = (text: SQL) => sql`case when ${text} ~ ${UUID_TEXT} then (${text})::uuid end`;

/** How many returned members a deleted billing group's sentence names before "and N more". */
export const RETURNED_MEMBERS_NAMED = 3;

/**
 * Issue 18: sentences name people and things, not ids. Most entries store the names they need;
 * these lookups cover the few that store only ids. Each is a primary-key probe per row of a page
 * (at most 50), and runs only for the actions that need it.
 */
const resolvedNames = {
  targetMember: sql<string | null>`case when ${auditLog.targetType} = 'member' then
    (select m.name from members m where m.org_id = ${auditLog.orgId} and m.id = ${asUuid(sql`${auditLog.targetId}`)})
  end`,
  eventType: sql<string | null>`case when ${auditLog.action} = 'webhook.resent' then
    (select e.type from events e where e.org_id = ${auditLog.orgId}
      and e.id = ${asUuid(sql`${auditLog.after} ->> 'eventId'`)})
  end`,
  returnedMembers: sql<string[] | null>`case when ${auditLog.action} = 'billing_group.deleted'
    and jsonb_typeof(${auditLog.after} -> 'membersReturnedToUnassigned') = 'array' then
    array(select m.name
      from jsonb_array_elements_text(${auditLog.after} -> 'membersReturnedToUnassigned') with ordinality as r(id, n)
      join members m on m.org_id = ${auditLog.orgId} and m.id = ${asUuid(sql`r.id`)}
      order by r.n limit ${RETURNED_MEMBERS_NAMED})
  end`,
};

/**
 * One page of the org's audit log, newest first. Keyset pagination on (created_at, id): each page
 * walks one of the (org_id, [actor_id | action], created_at) indexes from the cursor and reads
 * pageSize + 1 rows; nothing ever counts the whole log.
 */
export async function listAuditEntries(db: Executor, params: AuditListParams): Promise<AuditPage> {
  const pageSize = params.pageSize ?? AUDIT_PAGE_SIZE;
  const conditions: SQL[] = [eq(auditLog.orgId, params.orgId)];
  if (params.actorId) conditions.push(eq(auditLog.actorId, params.actorId));
  if (params.actorApiKeyId) conditions.push(eq(auditLog.actorApiKeyId, params.actorApiKeyId));
  if (params.action) conditions.push(eq(auditLog.action, params.action));
  if (params.targetType) conditions.push(eq(auditLog.targetType, params.targetType));
  // The partial expression index audit_log_org_import_idx answers this (migration 0014).
  if (params.importId) conditions.push(sql`(${auditLog.after} ->> 'importId') = ${params.importId}`);
  const target = params.target?.trim();
  // An id is looked up exactly (the target index, skip-scanned past target_type); other text also
  // matches inside labels, which no index covers: it reads the org's entries newest first.
  if (target && isUuid(target)) conditions.push(eq(auditLog.targetId, target.toLowerCase()));
  else if (target)
    conditions.push(or(eq(auditLog.targetId, target), ilike(auditLog.targetLabel, likePattern(target)))!);
  if (params.from) conditions.push(gte(auditLog.createdAt, params.from));
  if (params.to) conditions.push(lt(auditLog.createdAt, params.to));

  const goingNewer = !params.before && Boolean(params.after);
  const cursor = params.before ?? params.after;
  if (cursor)
    conditions.push(
      goingNewer
        ? sql`(${auditLog.createdAt}, ${auditLog.id}) > ${position(cursor)}`
        : sql`(${auditLog.createdAt}, ${auditLog.id}) < ${position(cursor)}`,
    );

  const direction = goingNewer ? asc : desc;
  const fetched = await db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      createdAtText,
      actorId: auditLog.actorId,
      actorApiKeyId: auditLog.actorApiKeyId,
      actorLabel: auditLog.actorLabel,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      targetLabel: auditLog.targetLabel,
      before: auditLog.before,
      after: auditLog.after,
      targetMember: resolvedNames.targetMember,
      eventType: resolvedNames.eventType,
      returnedMembers: resolvedNames.returnedMembers,
    })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(direction(auditLog.createdAt), direction(auditLog.id))
    .limit(pageSize + 1);

  const more = fetched.length > pageSize;
  const page = fetched.slice(0, pageSize);
  if (goingNewer) page.reverse();
  const cursorOf = (row: (typeof page)[number] | undefined) =>
    row ? encodeCursor({ createdAt: row.createdAtText, id: row.id }) : null;
  // Coming from a cursor means the other direction has at least the entry the cursor names.
  const hasOlder = goingNewer ? true : more;
  const hasNewer = goingNewer ? more : Boolean(cursor);
  return {
    rows: page.map(({ createdAtText: _, targetMember, eventType, returnedMembers, ...row }) => ({
      ...row,
      names: { targetMember, eventType, returnedMembers: returnedMembers ?? [] },
    })),
    older: hasOlder ? cursorOf(page.at(-1)) : null,
    newer: hasNewer ? cursorOf(page[0]) : null,
  };
}

/** An actor the Actor filter offers: a member, or an API key that made changes (R44). */
export type AuditActorOption = { id: string; name: string; kind: "member" | "api_key" };

export type AuditFilterOptions = {
  actors: AuditActorOption[];
  actions: string[];
  targetTypes: string[];
};

/**
 * Distinct actors, actions and target types that occur in the org's log. Each is a loose index
 * scan (a recursive CTE that jumps from one distinct value to the next along its index), so the
 * cost grows with the number of distinct values, not with the number of entries.
 */
export async function getAuditFilterOptions(db: Executor, params: { orgId: string }): Promise<AuditFilterOptions> {
  const { orgId } = params;
  const actions = await db.execute<{ value: string }>(sql`
    with recursive distinct_values(value) as (
      (select action from audit_log where org_id = ${orgId} order by action limit 1)
      union all
      select (select action from audit_log where org_id = ${orgId} and action > d.value order by action limit 1)
      from distinct_values d where d.value is not null
    )
    select value from distinct_values where value is not null`);
  const targetTypes = await db.execute<{ value: string }>(sql`
    with recursive distinct_values(value) as (
      (select target_type from audit_log where org_id = ${orgId} order by target_type limit 1)
      union all
      select (select target_type from audit_log where org_id = ${orgId} and target_type > d.value order by target_type limit 1)
      from distinct_values d where d.value is not null
    )
    select value from distinct_values where value is not null`);
  // Actors by their current name (members are never hard-deleted while referenced: FK).
  const actors = await db.execute<{ id: string; name: string }>(sql`
    with recursive distinct_values(value) as (
      (select actor_id from audit_log where org_id = ${orgId} and actor_id is not null order by actor_id limit 1)
      union all
      select (select actor_id from audit_log where org_id = ${orgId} and actor_id > d.value order by actor_id limit 1)
      from distinct_values d where d.value is not null
    )
    select m.id, m.name from distinct_values d
    join members m on m.org_id = ${orgId} and m.id = d.value
    order by lower(m.name), m.id`);
  // R44: API keys that made changes, by their name (keys are never deleted, only revoked).
  const keys = await db.execute<{ id: string; name: string }>(sql`
    with recursive distinct_values(value) as (
      (select actor_api_key_id from audit_log where org_id = ${orgId} and actor_api_key_id is not null
        order by actor_api_key_id limit 1)
      union all
      select (select actor_api_key_id from audit_log where org_id = ${orgId} and actor_api_key_id > d.value
        order by actor_api_key_id limit 1)
      from distinct_values d where d.value is not null
    )
    select k.id, k.name from distinct_values d
    join api_keys k on k.org_id = ${orgId} and k.id = d.value
    order by lower(k.name), k.id`);
  return {
    actors: [
      ...actors.map((r) => ({ id: r.id, name: r.name, kind: "member" as const })),
      ...keys.map((r) => ({ id: r.id, name: `${r.name} (API key)`, kind: "api_key" as const })),
    ],
    actions: actions.map((r) => r.value),
    targetTypes: targetTypes.map((r) => r.value),
  };
}
