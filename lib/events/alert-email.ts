// R40: the alert email, pure. One message per recipient of the event's billing group: the subject
// and text are what the Notifications list says (describeEvent), with a link to the group's
// period in the console and a Message-ID stable for the delivery.

import type { EventType } from "@/db/schema/events";
import { deliveryMessageId } from "@/lib/deliveries/rules";
import type { MailMessage } from "@/lib/mail/message";
import { isPeriod, type Period } from "@/lib/periods/rules";
import { describeEvent } from "./describe";

export type AlertMessage = MailMessage;

export function alertSubject(title: string): string {
  return `Ledgerline alert: ${title}`;
}

export function composeAlertEmail(params: {
  event: { type: EventType; data: unknown };
  deliveryId: string;
  to: string;
  from: string;
  date: Date;
  currentPeriod: Period;
  consoleOrigin: string;
}): AlertMessage {
  const { title, detail } = describeEvent(params.event.type, params.event.data, params.currentPeriod);
  const period = (params.event.data as { period?: unknown } | null)?.period;
  const link = `${params.consoleOrigin}/billing-groups${isPeriod(period) ? `?period=${period}` : ""}`;
  return {
    from: params.from,
    to: params.to,
    subject: alertSubject(title),
    text: [
      `${title}.`,
      "",
      detail,
      "",
      `Open the console: ${link}`,
      "",
      "You receive this because an administrator added you as a recipient of this billing group's statements and alerts.",
      "",
    ].join("\r\n"),
    messageId: deliveryMessageId("alert", params.deliveryId, params.from),
    date: params.date,
    // Marks it as machine-sent, so auto-responders do not answer it (RFC 3834).
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
