// What the Notifications list reads (R40): plain JSON, dates as ISO text.
import type { AlertEventType } from "@/db/schema/events";

export type NotificationDto = {
  id: string;
  type: AlertEventType;
  /** From describeEvent (lib/events/describe.ts), the same words as the alert email. */
  title: string;
  detail: string;
  /** The group as it is named now (its name in the event if it is gone). */
  billingGroup: { id: string; name: string } | null;
  period: string | null;
  createdAt: string;
  read: boolean;
  /** The Billing Groups page for the event's period with the group's details open. */
  href: string | null;
};

export type NotificationsDto = {
  unread: number;
  items: NotificationDto[];
  /** Pass as `?cursor=` for the next (older) page; null on the last page. */
  nextCursor: string | null;
};

export type UnreadNotificationsDto = { unread: number };

/** `/billing-groups?period=…&group=<id>`: the page opens that group's details drawer from `group`. */
export function billingGroupHref(billingGroupId: string, period: string | null): string {
  const query = new URLSearchParams();
  if (period) query.set("period", period);
  query.set("group", billingGroupId);
  return `/billing-groups?${query.toString()}`;
}
