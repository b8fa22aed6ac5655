import "server-only";
import { withOrg } from "@/db";
import { alertEventDataSchema, describeEvent } from "@/lib/events/describe";
import { BILLING_READ_ROLES, getBillingAccess } from "@/lib/auth/billing-access";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { type Period, periodOf } from "@/lib/periods/rules";
import { billingGroupHref, type NotificationDto, type NotificationsDto, type UnreadNotificationsDto } from "./dto";
import {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead as markAllRead,
  markNotificationRead as markRead,
  NOTIFICATIONS_PAGE_SIZE,
  type NotificationRow,
} from "./queries";
import type { MarkNotificationReadInput, NotificationCursor } from "./schemas";

// The Notifications list (R40): admins and billing admins see every alert event of the org,
// billing group viewers only those of the groups granted to them now (R33), plain members nothing
// (403, as every console read answers them).
//
// Read state is NOT audited: it is one member's personal UI state, not a change to the org (R36
// audits org changes), so mark read and mark all read write notification_reads and nothing else.

/** Who may ask at all: the access below narrows `member` to billing group viewers. */
export const NOTIFICATION_ROLES = BILLING_READ_ROLES;

/** The member, and what they may see, decided at read time from the database. */
async function notificationReader(principal: Principal) {
  const { member } = requireMemberRole(principal, NOTIFICATION_ROLES);
  const access = await getBillingAccess(member);
  if (access.kind === "none") throw new ForbiddenError();
  return { orgId: member.orgId, memberId: member.id, scope: access };
}

export async function getUnreadNotificationCount(principal: Principal): Promise<UnreadNotificationsDto> {
  const reader = await notificationReader(principal);
  return { unread: await withOrg(reader.orgId, (tx) => countUnreadNotifications(tx, reader)) };
}

/** One page of the list, newest first, with the unread count. */
export async function getNotifications(
  principal: Principal,
  params: { cursor?: NotificationCursor },
): Promise<NotificationsDto> {
  const reader = await notificationReader(principal);
  const { rows, unread } = await withOrg(reader.orgId, async (tx) => ({
    rows: await listNotifications(tx, { ...reader, cursor: params.cursor, limit: NOTIFICATIONS_PAGE_SIZE + 1 }),
    unread: await countUnreadNotifications(tx, reader),
  }));
  const page = rows.slice(0, NOTIFICATIONS_PAGE_SIZE);
  const last = page.at(-1);
  const currentPeriod = periodOf(now());
  return {
    unread,
    items: page.map((row) => toNotificationDto(row, currentPeriod)),
    nextCursor: rows.length > NOTIFICATIONS_PAGE_SIZE && last ? `${last.cursorAt}_${last.id}` : null,
  };
}

function toNotificationDto(row: NotificationRow, currentPeriod: Period): NotificationDto {
  const { title, detail } = describeEvent(row.type, row.data, currentPeriod);
  const named = alertEventDataSchema.safeParse(row.data);
  const name = row.billingGroupName ?? (named.success ? named.data.billingGroup.name : null);
  return {
    id: row.id,
    type: row.type,
    title,
    detail,
    billingGroup: row.billingGroupId && name ? { id: row.billingGroupId, name } : null,
    period: row.period,
    createdAt: row.createdAt.toISOString(),
    read: row.read,
    href: row.billingGroupId ? billingGroupHref(row.billingGroupId, row.period) : null,
  };
}

/** Marks one event the member may see as read; any other id is not found. Not audited (see above). */
export async function markNotificationRead(
  principal: Principal,
  input: MarkNotificationReadInput,
): Promise<{ unread: number }> {
  const reader = await notificationReader(principal);
  return withOrg(reader.orgId, async (tx) => {
    if (!(await markRead(tx, { ...reader, eventId: input.eventId, at: now() })))
      throw new NotFoundError("That notification");
    return { unread: await countUnreadNotifications(tx, reader) };
  });
}

/** Marks every visible unread event read for the member. Not audited (see above). */
export async function markAllNotificationsRead(principal: Principal): Promise<{ marked: number }> {
  const reader = await notificationReader(principal);
  return { marked: await withOrg(reader.orgId, (tx) => markAllRead(tx, { ...reader, at: now() })) };
}
