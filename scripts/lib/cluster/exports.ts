// The cluster test's bills: the primary's, read directly with the export's own code, against what
// the instances served through HAProxy from the replica, and what the workers attached to the
// statements they mailed.
import type postgres from "postgres";
import { type BillScope, billCsvChunks } from "../../../lib/export/queries";
import type { ReceivedMail } from "../../../lib/mail/sink";
import { waitForReplicaToCatchUp } from "./postgres";

/** The bill of `period` as the primary holds it now (the same code as Download CSV). */
export async function billFromPrimary(
  primaryApp: postgres.Sql,
  params: { orgId: string; period: string; scope?: BillScope },
): Promise<string> {
  let csv = "";
  const scope = params.scope ?? { kind: "all" };
  for await (const chunk of billCsvChunks(primaryApp, { orgId: params.orgId, period: params.period, scope }))
    csv += chunk;
  return csv;
}

/**
 * Each statement's attachment (read by a worker from the replica once it had caught up) is its
 * group's bill as the primary has it: no event of the period left out.
 */
export async function checkStatementAttachments(
  owner: postgres.Sql,
  primaryApp: postgres.Sql,
  params: { orgId: string; period: string; mails: ReceivedMail[] },
): Promise<string[]> {
  const rows = await owner<{ id: string; billing_group_id: string | null }[]>`
    select id, billing_group_id from statement_deliveries where org_id = ${params.orgId} and period = ${params.period}`;
  const groupOf = new Map(rows.map((row) => [row.id, row.billing_group_id]));
  const problems: string[] = [];
  for (const message of params.mails.filter((m) => m.messageId?.startsWith("<statement."))) {
    const deliveryId = /^<statement\.([0-9a-f-]+)@/.exec(message.messageId!)?.[1] ?? "";
    const groupId = groupOf.get(deliveryId) ?? null;
    const scope: BillScope =
      groupId === null ? { kind: "unassigned" } : { kind: "group", id: groupId, name: "", deleted: false };
    const attached = message.attachments[0]?.content.toString("utf8");
    if (attached !== (await billFromPrimary(primaryApp, { orgId: params.orgId, period: params.period, scope })))
      problems.push(`statement ${deliveryId}'s CSV differs from the primary's bill`);
  }
  return problems;
}

/**
 * The export API through HAProxy reads the replica: while replay is paused, an event recorded
 * meanwhile is missing from it (so it did not read the primary); once replay has caught up, its
 * bytes equal the primary's for every period given.
 */
export async function checkReplicaExport(params: {
  balancer: string;
  apiKey: string;
  orgId: string;
  owner: postgres.Sql;
  replicaOwner: postgres.Sql;
  primaryApp: postgres.Sql;
  /** A member with room under their limit in the last of `periods`, the current one. */
  member: string;
  periods: string[];
}) {
  const { balancer, apiKey, orgId, primaryApp } = params;
  const problems: string[] = [];
  const exported = async (period: string) => {
    const response = await fetch(`${balancer}/api/v1/billing-groups/export?period=${period}`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    if (!response.ok) throw new Error(`export of ${period} answered ${response.status}: ${await response.text()}`);
    return response.text();
  };
  const current = params.periods.at(-1)!;
  await params.replicaOwner`select pg_wal_replay_pause()`;
  const late = await fetch(`${balancer}/api/v1/usage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ member: params.member, credits: "0.01", idempotencyKey: "cluster-late-event" }),
  });
  if (late.status !== 201) problems.push(`the event sent while replay was paused answered ${late.status}`);
  if ((await exported(current)) === (await billFromPrimary(primaryApp, { orgId, period: current })))
    problems.push("the export matched the primary while replay was paused: it did not read the replica");
  await params.replicaOwner`select pg_wal_replay_resume()`;
  const caughtUp = await waitForReplicaToCatchUp(params.owner, params.replicaOwner);
  const equal: string[] = [];
  for (const period of params.periods) {
    const fromPrimary = await billFromPrimary(primaryApp, { orgId, period });
    if ((await exported(period)) !== fromPrimary)
      problems.push(`the replica's export of ${period} differs from the primary's`);
    else equal.push(`${period} (${fromPrimary.split("\n").length - 2} rows)`);
  }
  return { problems, caughtUp, equal };
}
