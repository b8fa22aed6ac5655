import { consoleGet, parseQuery } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { getNotifications, getUnreadNotificationCount, NOTIFICATION_ROLES } from "@/lib/notifications/access";
import { notificationsQuerySchema } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

/**
 * R40, the bell: `{ unread, items, nextCursor }`, newest first, 20 a page (`?cursor=` for older);
 * `?unread=1` answers `{ unread }` only (the 30-second poll). Admins, billing admins and viewers.
 */
export const GET = consoleGet("GET /api/console/notifications", async (request) => {
  const principal = await requirePrincipal(NOTIFICATION_ROLES);
  const query = parseQuery(notificationsQuerySchema, request);
  if (query.unread === "1") return getUnreadNotificationCount(principal);
  return getNotifications(principal, { cursor: query.cursor });
});
