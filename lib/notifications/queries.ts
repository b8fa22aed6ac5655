import "server-only";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor, Transaction } from "@/db";
import { ALERT_EVENT_TYPES, type AlertEventType, billingGroups, events, members, notificationReads } from "@/db/schema";
import type { NotificationCursor } from "./schemas";

// The Notifications list (R40): (db, params), org-scoped in every where. What a member may see is
// decided here, at read time, from the scope the access layer passes (the member's role and viewer
// grants of this request), never copied per member: a revoked grant hides its events at once.

/** All the org's alert events (admins, billing admins), or only those of the granted groups (viewers). */
export type NotificationScope = { kind: "full" } | { kind: "viewer"; billingGroupIds: string[] };

type Reader = { orgId: string; memberId: string; scope: NotificationScope };

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** The alert events `scope` may see (`ping` is for one webhook endpoint only, never listed). */
function visibleEvents({ orgId, scope }: Reader): SQL {
  return and(
    eq(events.orgId, orgId),
    inArray(events.type, [...ALERT_EVENT_TYPES]),
    scope.kind === "viewer" ? inArray(events.billingGroupId, scope.billingGroupIds) : undefined,
  )!;
}

/** Events from before the member joined are not news to them: they count as read. */
function memberSince({ orgId, memberId }: Reader): SQL {
  return sql`(select ${members.createdAt} from ${members} where ${members.orgId} = ${orgId} and ${members.id} = ${memberId})`;
}

/** Visible, created since the member joined, and not in notification_reads for them. */
function unreadEvents(reader: Reader): SQL {
  return and(
    visibleEvents(reader),
    sql`${events.createdAt} >= ${memberSince(reader)}`,
    sql`not exists (select 1 from ${notificationReads} where ${notificationReads.orgId} = ${events.orgId} and ${notificationReads.memberId} = ${reader.memberId} and ${notificationReads.eventId} = ${events.id})`,
  )!;
}

export type NotificationRow = {
  id: string;
  type: AlertEventType;
  billingGroupId: string | null;
  billingGroupName: string | null;
  period: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  /** created_at to the microsecond, UTC: the keyset cursor (a JS Date keeps milliseconds only). */
  cursorAt: string;
  read: boolean;
};

/** One page, newest first (ties by id), starting after `cursor`; one row more than a page tells if more exist. */
export async function listNotifications(
  db: Executor,
  reader: Reader & { cursor?: NotificationCursor; limit: number },
): Promise<NotificationRow[]> {
  const { cursor } = reader;
  const rows = await db
    .select({
      id: events.id,
      type: events.type,
      billingGroupId: events.billingGroupId,
      billingGroupName: billingGroups.name,
      period: events.period,
      data: events.data,
      createdAt: events.createdAt,
      cursorAt: sql<string>`to_char(${events.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      read: sql<boolean>`(${notificationReads.eventId} is not null or ${events.createdAt} < ${memberSince(reader)})`,
    })
    .from(events)
    .leftJoin(billingGroups, and(eq(billingGroups.orgId, events.orgId), eq(billingGroups.id, events.billingGroupId)))
    .leftJoin(
      notificationReads,
      and(
        eq(notificationReads.orgId, events.orgId),
        eq(notificationReads.memberId, reader.memberId),
        eq(notificationReads.eventId, events.id),
      ),
    )
    .where(
      and(
        visibleEvents(reader),
        cursor
          ? sql`(${events.createdAt}, ${events.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(reader.limit);
  return rows.map((row) => ({ ...row, type: row.type as AlertEventType }));
}

export async function countUnreadNotifications(db: Executor, reader: Reader): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(events).where(unreadEvents(reader));
  return row?.n ?? 0;
}

/**
 * Marks one event read for the member. False when the member may not see it (another org's, a
 * group not granted, a `ping`, or no such event): the caller answers not found. Read twice is once.
 */
export async function markNotificationRead(
  tx: Transaction,
  reader: Reader & { eventId: string; at: Date },
): Promise<boolean> {
  const [event] = await tx
    .select({ id: events.id })
    .from(events)
    .where(and(visibleEvents(reader), eq(events.id, reader.eventId)));
  if (!event) return false;
  await tx
    .insert(notificationReads)
    .values({ orgId: reader.orgId, memberId: reader.memberId, eventId: event.id, readAt: reader.at })
    .onConflictDoNothing();
  return true;
}

/** Marks every visible unread event read for the member, in one statement. Returns how many. */
export async function markAllNotificationsRead(tx: Transaction, reader: Reader & { at: Date }): Promise<number> {
  const inserted = await tx
    .insert(notificationReads)
    .select((qb) =>
      qb
        .select({
          orgId: events.orgId,
          memberId: sql<string>`${reader.memberId}::uuid`.as("member_id"),
          eventId: events.id,
          readAt: sql<Date>`${reader.at.toISOString()}::timestamptz`.as("read_at"),
        })
        .from(events)
        .where(unreadEvents(reader)),
    )
    .onConflictDoNothing()
    .returning({ eventId: notificationReads.eventId });
  return inserted.length;
}
