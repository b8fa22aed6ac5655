import "server-only";
import { getDb, withOrg } from "@/db";
import { now as clockNow } from "@/lib/clock";
import { emailDeliveryConfigured } from "@/lib/mail/transport";
import { dueStatementGroups, orgsAwaitingPeriodClose, queuePeriodClose } from "./queries";
import { periodJustClosed } from "./rules";
import type { StatementTarget } from "./sender";

// R39's period close, run every minute by the job runner (once across all instances; running it
// twice at once is harmless too). Every org whose close of the period just ended is not yet done
// gets its deliveries queued in one transaction with the close's own row; then every (org,
// group, period) with deliveries due is handed to `wake`, which queues a send job for it. Only
// the period just closed is ever closed: a first start with history mails no older period.

export type TickOutcome = { period: string; closedOrgs: number; queuedDeliveries: number; woken: number };

export async function runStatementTick(params: {
  wake: (target: StatementTarget) => Promise<void>;
  now?: Date;
}): Promise<TickOutcome> {
  const now = params.now ?? clockNow();
  const period = periodJustClosed(now);
  const outcome: TickOutcome = { period, closedOrgs: 0, queuedDeliveries: 0, woken: 0 };
  // Without SMTP nothing is sent (R39), and no close is recorded: configuring SMTP later in the
  // month still mails the period just closed.
  if (!emailDeliveryConfigured()) return outcome;
  for (const orgId of await orgsAwaitingPeriodClose(getDb(), period)) {
    const closed = await withOrg(orgId, (tx) => queuePeriodClose(tx, { orgId, period, now }));
    if (!closed) continue;
    outcome.closedOrgs += 1;
    outcome.queuedDeliveries += closed.deliveries;
  }
  for (const target of await dueStatementGroups(getDb(), now)) {
    await params.wake(target);
    outcome.woken += 1;
  }
  return outcome;
}
