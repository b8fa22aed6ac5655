import "server-only";
import { withOrg } from "@/db";
import { now } from "@/lib/clock";
import { emailDeliveryConfigured } from "@/lib/mail/transport";
import { fanOutEvents } from "./queries";

// R40/R41: fans one org's new events out to their deliveries, in one transaction, once (any
// number of dispatchers may run: locked events are skipped, and the deliveries' unique key
// catches the rest). Without SMTP no email deliveries are written at all; webhooks go regardless.

export async function dispatchOrgEvents(orgId: string): Promise<{ events: number; deliveries: number }> {
  const email = emailDeliveryConfigured();
  return withOrg(orgId, (tx) => fanOutEvents(tx, { orgId, email, now: now() }));
}
