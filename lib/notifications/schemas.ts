import { z } from "zod";
import { text } from "@/lib/text";

// R40: the Notifications list's query string and its two buttons, shared by the route, the
// actions and the bell.

/** Where the next page starts: `<created_at with microseconds, UTC>_<event id>`, from `nextCursor`. */
export const notificationCursorSchema = text()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z_[0-9a-f-]{36}$/i,
    "That page link is not valid. Reload the list.",
  )
  .transform((value) => {
    const [createdAt = "", id = ""] = value.split("_");
    return { createdAt, id };
  });

export const notificationsQuerySchema = z.object({
  cursor: notificationCursorSchema.optional(),
  /** `unread=1`: only the unread count (the bell's poll). */
  unread: z.enum(["0", "1"]).optional(),
});

export const markNotificationReadSchema = z.object({
  eventId: z.uuid({ message: "That notification no longer exists. Reload to see the current state." }),
});

export const markAllNotificationsReadSchema = z.object({});

export type NotificationCursor = z.infer<typeof notificationCursorSchema>;
export type MarkNotificationReadInput = z.infer<typeof markNotificationReadSchema>;
