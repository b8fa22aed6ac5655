// R39's timing rules, pure: which period a close mails and which periods may be sent. When a
// failed send is tried again, and when it is given up, is lib/deliveries/rules.ts (shared with
// alert emails and webhooks). Times are instants from lib/clock.ts, passed in.

import { deliveryMessageId } from "@/lib/deliveries/rules";
import { periodOf, previousPeriod, type Period } from "@/lib/periods/rules";

/** The period a close at `now` mails: the one that ended at the last month boundary (UTC). */
export function periodJustClosed(now: Date): Period {
  return previousPeriod(periodOf(now));
}

/** The instant a period began (its first millisecond, UTC). */
export function periodStart(period: Period): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1));
}

/** The instant a period ended: the next one's first millisecond. */
export function periodEnd(period: Period): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

/** `Send Statement` is for periods that have closed: before the current one (R39). */
export function isClosedPeriod(period: Period, now: Date): boolean {
  return period < periodOf(now);
}

/** R39: the subject line, exactly. */
export function statementSubject(groupName: string, period: Period): string {
  return `Ledgerline statement: ${groupName}, ${period}`;
}

/** A statement's Message-ID, stable for its delivery (lib/deliveries/rules.ts). */
export function statementMessageId(deliveryId: string, mailFrom: string): string {
  return deliveryMessageId("statement", deliveryId, mailFrom);
}
