"use server";

import { defineAction } from "@/lib/actions";
import { markAllNotificationsRead, markNotificationRead, NOTIFICATION_ROLES } from "@/lib/notifications/access";
import { markAllNotificationsReadSchema, markNotificationReadSchema } from "@/lib/notifications/schemas";

// R40: the bell's buttons. Every role that may see notifications (viewers too: the access layer
// narrows plain members to their grants and refuses those without any). Not period-bound: an
// event of any period may be marked read. Nothing to revalidate: the bell re-reads through React Query.

export const markNotificationReadAction = defineAction({
  name: "notifications.mark-read",
  schema: markNotificationReadSchema,
  roles: NOTIFICATION_ROLES,
  run: ({ principal }, input) => markNotificationRead(principal, input),
});

export const markAllNotificationsReadAction = defineAction({
  name: "notifications.mark-all-read",
  schema: markAllNotificationsReadSchema,
  roles: NOTIFICATION_ROLES,
  run: ({ principal }) => markAllNotificationsRead(principal),
});
