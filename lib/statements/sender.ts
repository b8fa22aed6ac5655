import "server-only";
import { getCaughtUpReplicaDb, getDb, withOrg } from "@/db";
import { now } from "@/lib/clock";
import { consoleOriginForLinks } from "@/lib/console-url";
import { billFileName } from "@/lib/export/csv";
import { billCsvChunks, resolveBillScope } from "@/lib/export/queries";
import { formatCredits } from "@/lib/credits/rules";
import { describeMailError, mailFrom, mailTransport } from "@/lib/mail/transport";
import { composeStatement, type StatementContent, type StatementMessage } from "./compose";
import {
  claimDueDeliveries,
  markDeliveryAttemptFailed,
  markDeliverySent,
  releaseDeliveries,
  type GroupKey,
  type QueuedDelivery,
} from "./queries";

// R39: hands the due statements of one billing group and period to the SMTP server. Each
// delivery is claimed (leased) before it is sent and recorded `sent` the moment the server takes
// it (while the next one is handed over): a worker killed mid-run leaves at most the last two
// hand-offs unrecorded, and those go again later under the same Message-IDs. Nothing here decides *whether* a statement
// is owed — the delivery rows do, written by the period close or by Send Statement.

export type StatementTarget = { orgId: string; billingGroupId: GroupKey; period: string };

export type MailSender = { sendMail(message: StatementMessage): Promise<unknown> };

export type SendOptions = {
  mailer?: MailSender;
  from?: string;
  /** Stop between messages (the worker is shutting down); untried deliveries are given back. */
  signal?: AbortSignal;
};

export type SendOutcome = { sent: number; retrying: number; failed: number };

/**
 * The attachment and figures of one group's statement, from the export's own code (R25–R27). The
 * totals are counted from the rows as they are written, so they are the attachment's own figures
 * (one row per member with usage in a single group's bill). Read on the replica when there is one
 * (issue 20), but only once it has replayed all the primary had committed: a statement is mailed
 * once, and a replica behind by the last events of the period would leave them out for good.
 */
export async function loadStatementContent(target: StatementTarget): Promise<StatementContent> {
  const { orgId, period } = target;
  const db = await getCaughtUpReplicaDb();
  const scope = await withOrg(
    orgId,
    (tx) => resolveBillScope(tx, { orgId, billingGroup: target.billingGroupId ?? "unassigned" }),
    { replica: db !== getDb() },
  );
  let csv = "";
  let rows = 0;
  let total = 0n;
  const onRow = (credits: bigint) => {
    rows += 1;
    total += credits;
  };
  for await (const chunk of billCsvChunks(db.$client, { orgId, period, scope, onRow })) csv += chunk;
  return {
    groupName: scope.kind === "group" ? scope.name : "Unassigned",
    period,
    fileName: billFileName(period, scope),
    csv: Buffer.from(csv, "utf8"),
    totalCredits: formatCredits(total),
    membersWithUsage: rows,
    consoleUrl: `${consoleOriginForLinks()}/billing-groups?period=${period}`,
  };
}

/** Sends what is due for one group and period; safe to run on any number of workers at once. */
export async function sendDueStatements(target: StatementTarget, options: SendOptions = {}): Promise<SendOutcome> {
  const { orgId } = target;
  // The statement is read while the deliveries are claimed, on other connections (neither waits
  // holding one), so the claim adds no wait of its own. A wake-up that finds nothing to claim
  // (another worker took it) has read one group's bill for nothing. A read that fails counts as a
  // failed attempt of each delivery claimed, as before.
  const [claim, loaded] = await Promise.allSettled([
    withOrg(orgId, (tx) => claimDueDeliveries(tx, { ...target, now: now() })),
    loadStatementContent(target),
  ]);
  if (claim.status === "rejected") throw claim.reason;
  const claimed = claim.value;
  const outcome: SendOutcome = { sent: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return outcome;
  if (loaded.status === "rejected") {
    for (const delivery of claimed) await recordFailure(orgId, delivery, loaded.reason, outcome);
    return outcome;
  }
  const content = loaded.value;
  const mailer = options.mailer ?? mailTransport();
  const from = options.from ?? mailFrom();
  // Each hand-off is recorded the moment the server has taken it, while the next message is being
  // handed over: at most one record in flight, and all of them done before this returns.
  let recording: Promise<void> = Promise.resolve();
  for (const [index, delivery] of claimed.entries()) {
    if (options.signal?.aborted) {
      const untried = claimed.slice(index).map((d) => d.id);
      await withOrg(orgId, (tx) => releaseDeliveries(tx, { orgId, ids: untried }));
      break;
    }
    try {
      await mailer.sendMail(
        composeStatement({ content, deliveryId: delivery.id, to: delivery.email, from, date: now() }),
      );
    } catch (error) {
      await recordFailure(orgId, delivery, error, outcome);
      continue;
    }
    await recording;
    recording = withOrg(orgId, (tx) => markDeliverySent(tx, { orgId, id: delivery.id, now: now() })).then(() => {
      outcome.sent += 1;
    });
  }
  await recording;
  return outcome;
}

async function recordFailure(orgId: string, delivery: QueuedDelivery, error: unknown, outcome: SendOutcome) {
  const status = await withOrg(orgId, (tx) =>
    markDeliveryAttemptFailed(tx, { orgId, delivery, error: describeMailError(error), now: now() }),
  );
  if (status === "failed") outcome.failed += 1;
  else outcome.retrying += 1;
}
