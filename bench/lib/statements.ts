// The statements benchmark (issue 14, R39): a period close of one org through the product's own
// code — `runStatementTick`, then `sendDueStatements` for every woken group on SEND_CONCURRENCY
// senders, as one worker runs them — handing every statement to a local SMTP sink in a process
// of its own (bench/lib/sink-child.ts), against its floor: every one of those groups' CSVs for
// the same period through the export's code path (`billCsvResponse`, what Download CSV streams),
// group after group. Same process, same database, same pool. Both sides get one untimed run,
// then `runs` interleaved ones.
//
// It gives each live billing group RECIPIENTS_PER_GROUP recipients (created when the period
// began, so the close owes them a statement), resets the period's deliveries and close before
// every run (owner connection), and removes all of it at the end. It measures; it never asserts.
import { sql } from "drizzle-orm";
import { createDatabase, type Database } from "../../db/connection";
import type { MailSender, StatementTarget } from "../../lib/statements/sender";
import { median } from "./http";
import { startSinkProcess } from "./sink-process";

export const RECIPIENTS_PER_GROUP = 2;
/** One worker's statement senders (lib/jobs/runner.ts, SEND_CONCURRENCY). */
const SEND_CONCURRENCY = 2;
export const MAIL_FROM = "Ledgerline <statements@globex.example>";
const MB = 2 ** 20;

export type StatementsBenchResult = {
  period: string;
  groups: number;
  recipients: number;
  /** Median over the timed runs. */
  exportMs: number;
  /** From the tick's start to the sink holding every statement (median). */
  statementsMs: number;
  /** From the tick's start to the last delivery recorded `sent` (median). */
  recordedMs: number;
  ratio: number;
  messagesPerSec: number;
  /** The groups' CSVs as Download CSV serves them, one pass. */
  exportBytes: number;
  /** Bytes of whole messages the sink received in one run (headers, text and the base64 attachments). */
  mailedBytes: number;
  /** Deliveries recorded `sent` after each timed run (each should be `recipients`). */
  sentPerRun: number[];
  /** Time inside `sendMail` (the SMTP hand-off to the sink, which keeps and parses nothing), summed over the senders (median). */
  smtpMs: number;
  /** CPU time of this process (user + system) during the export and during the statements (medians). */
  exportCpuMs: number;
  statementsCpuMs: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** Peak RSS of each timed statements run: flat when the sender holds nothing across groups. */
  rssPeakPerRunMb: number[];
  runs: number;
};

type Log = (line: string) => void;

export async function benchStatements(opts: {
  databaseUrl: string;
  orgId: string;
  runs: number;
  /**
   * The sink's port, when the caller set SMTP_URL to it before lib/env was first read (a section
   * that ran earlier in the same process reads it); 0 picks a free one.
   */
  smtpPort?: number;
  log?: Log;
}): Promise<StatementsBenchResult> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1)
    throw new Error(`benchStatements: runs must be a positive integer, got ${opts.runs}.`);
  const log = opts.log ?? (() => {});
  const { orgId } = opts;
  // The sink runs in a process of its own and keeps nothing: each message is tallied and dropped
  // as it lands. A mail server's work happens on its own machine; in this process it would run on
  // the sender's one JavaScript thread (here it still shares the machine's cores, as the database does).
  const sink = await startSinkProcess(opts.smtpPort ?? 0);

  // lib/env reads the environment once, at its first use, which is below.
  process.env.SMTP_URL = sink.url;
  process.env.MAIL_FROM = MAIL_FROM;
  const { env } = await import("../../lib/env");
  if (env().SMTP_URL !== sink.url) throw new Error("lib/env was read before the sink started: SMTP_URL is stale.");
  const { getDb } = await import("../../db");
  const { now } = await import("../../lib/clock");
  const { periodEnd, periodJustClosed, periodStart } = await import("../../lib/statements/rules");
  const { runStatementTick } = await import("../../lib/statements/period-close");
  const { sendDueStatements } = await import("../../lib/statements/sender");
  const { mailTransport, closeMailTransport } = await import("../../lib/mail/transport");
  const { billCsvResponse } = await import("../../lib/export/service");

  const owner = createDatabase(opts.databaseUrl, { max: 1 });
  const period = periodJustClosed(now());
  const startedAt = now();
  try {
    const during = { start: periodStart(period), end: periodEnd(period) };
    const expected = await addRecipients(owner.db, orgId, during);
    const groupIds = await groupsWithRecipients(owner.db, orgId, during);
    log(`  ${groupIds.length} billing groups × ${RECIPIENTS_PER_GROUP} recipients, period ${period}`);

    const exportAll = async () => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      let bytes = 0;
      for (const billingGroup of groupIds) {
        const response = await billCsvResponse({ orgId, period, billingGroup });
        for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
      }
      return { ms: performance.now() - started, bytes, cpuMs: cpuMsSince(cpu) };
    };

    let smtpMs = 0;
    const transport = mailTransport();
    const mailer: MailSender = {
      async sendMail(message) {
        const started = performance.now();
        try {
          return await transport.sendMail(message);
        } finally {
          smtpMs += performance.now() - started;
        }
      },
    };

    /** The period close and every send it wakes, as one worker does it (see the header). */
    const closeAndSend = async () => {
      await resetPeriod(owner.db, orgId, period);
      await sink.reset(expected);
      smtpMs = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const startedEpochMs = performance.timeOrigin + started;
      const targets: StatementTarget[] = [];
      await runStatementTick({ wake: async (target) => void targets.push(target) });
      // Another org's due deliveries are left to the product's own worker.
      const ours = targets.filter((target) => target.orgId === orgId);
      const sender = async () => {
        for (let target = ours.shift(); target; target = ours.shift()) await sendDueStatements(target, { mailer });
      };
      await Promise.all(Array.from({ length: SEND_CONCURRENCY }, sender));
      const recorded = performance.now();
      const cpuMs = cpuMsSince(cpu);
      // A message is tallied before the sink answers 250, so once the senders are done, so is the count.
      const tally = await sink.tally();
      if (tally.messages < expected) throw new Error(`The sink holds ${tally.messages} of ${expected} statements.`);
      return {
        ms: tally.handedAtEpochMs - startedEpochMs,
        recordedMs: recorded - started,
        cpuMs,
        mailedBytes: tally.mailedBytes,
        smtpMs,
        sent: await sentCount(owner.db, orgId, period),
      };
    };

    const memory = rssSampler();
    log("  warming up (one untimed run of each)");
    const first = await exportAll();
    await closeAndSend();
    const exportRuns: Awaited<ReturnType<typeof exportAll>>[] = [];
    const sends: Awaited<ReturnType<typeof closeAndSend>>[] = [];
    const rssStart = memory.current();
    const peaks: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      exportRuns.push(await exportAll());
      memory.resetPeak();
      sends.push(await closeAndSend());
      peaks.push(memory.peak());
      log(
        `  run ${run + 1}/${opts.runs}: export ${Math.round(exportRuns.at(-1)!.ms)} ms, statements ${Math.round(sends.at(-1)!.ms)} ms (${sends.at(-1)!.sent} recorded sent), peak RSS ${(peaks.at(-1)! / MB).toFixed(1)} MiB`,
      );
    }
    const rssEnd = memory.current();
    memory.stop();

    const exportMs = median(exportRuns.map((r) => r.ms));
    const statementsMs = median(sends.map((r) => r.ms));
    return {
      period,
      groups: groupIds.length,
      recipients: expected,
      exportMs: Math.round(exportMs),
      statementsMs: Math.round(statementsMs),
      recordedMs: Math.round(median(sends.map((r) => r.recordedMs))),
      ratio: Number((statementsMs / exportMs).toFixed(2)),
      messagesPerSec: Math.round(expected / (statementsMs / 1000)),
      exportBytes: first.bytes,
      mailedBytes: sends[0]!.mailedBytes,
      sentPerRun: sends.map((r) => r.sent),
      smtpMs: Math.round(median(sends.map((r) => r.smtpMs))),
      exportCpuMs: Math.round(median(exportRuns.map((r) => r.cpuMs))),
      statementsCpuMs: Math.round(median(sends.map((r) => r.cpuMs))),
      rssStartMb: Number((rssStart / MB).toFixed(1)),
      rssPeakMb: Number((Math.max(rssStart, ...peaks) / MB).toFixed(1)),
      rssEndMb: Number((rssEnd / MB).toFixed(1)),
      rssPeakPerRunMb: peaks.map((p) => Number((p / MB).toFixed(1))),
      runs: opts.runs,
    };
  } finally {
    await removeBenchRows(owner.db, { orgId, period, startedAt });
    closeMailTransport();
    await sink.close();
    await getDb().$client.end();
    await owner.client.end();
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** This process's resident memory, sampled every 20 ms (each read costs ~0.1 ms here). */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  return {
    current: () => process.memoryUsage.rss(),
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    resetPeak: () => (peak = process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

/** Recognizes the bench's own recipients, including those an interrupted run left behind. */
const BENCH_RECIPIENT = sql`email like 'bench-statements-%@globex.example'`;

/** The recipients a close of the period owes a statement (the predicate of queuePeriodClose). */
function owedDuring(during: { start: Date; end: Date }) {
  return sql`r.created_at < ${during.end.toISOString()}
    and (bg.id is null or bg.deleted_at is null or bg.deleted_at >= ${during.start.toISOString()})`;
}

/**
 * RECIPIENTS_PER_GROUP recipients for every live billing group, there since the period began.
 * Returns how many statements the close owes: every recipient it will find, the org's own too.
 */
async function addRecipients(db: Database, orgId: string, during: { start: Date; end: Date }): Promise<number> {
  await db.execute(sql`delete from billing_group_recipients where org_id = ${orgId} and ${BENCH_RECIPIENT}`);
  await db.execute(sql`
    insert into billing_group_recipients (org_id, billing_group_id, email, created_at)
    select bg.org_id, bg.id, 'bench-statements-' || r || '.' || replace(bg.id::text, '-', '') || '@globex.example',
           ${during.start.toISOString()}
    from billing_groups bg cross join generate_series(1, ${RECIPIENTS_PER_GROUP}) r
    where bg.org_id = ${orgId} and bg.deleted_at is null`);
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from billing_group_recipients r
    left join billing_groups bg on bg.org_id = r.org_id and bg.id = r.billing_group_id
    where r.org_id = ${orgId} and ${owedDuring(during)}`);
  if (!row?.n) throw new Error("The org has no live billing group to send statements for.");
  return row.n;
}

/** The groups the close mails (`unassigned` for Unassigned), in the order the export lists them. */
async function groupsWithRecipients(db: Database, orgId: string, during: { start: Date; end: Date }) {
  const rows = await db.execute<{ id: string | null }>(sql`
    select distinct r.billing_group_id as id, lower(bg.name) collate "C" as name from billing_group_recipients r
    left join billing_groups bg on bg.org_id = r.org_id and bg.id = r.billing_group_id
    where r.org_id = ${orgId} and ${owedDuring(during)}
    order by 2 nulls last, 1`);
  return rows.map((row) => row.id ?? "unassigned");
}

/** So the next run sends everything again: no close and no deliveries for the period. */
async function resetPeriod(db: Database, orgId: string, period: string): Promise<void> {
  await db.execute(sql`delete from statement_deliveries where org_id = ${orgId} and period = ${period}`);
  await db.execute(sql`delete from statement_period_closes where org_id = ${orgId} and period = ${period}`);
}

async function sentCount(db: Database, orgId: string, period: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from statement_deliveries where org_id = ${orgId} and period = ${period} and status = 'sent'`);
  return row!.n;
}

/**
 * Leaves the database as the seed made it: the org's recipients, deliveries and close for the
 * period go, and so does any other org's close that the bench's tick recorded with nothing to send.
 */
async function removeBenchRows(
  db: Database,
  params: { orgId: string; period: string; startedAt: Date },
): Promise<void> {
  await resetPeriod(db, params.orgId, params.period);
  await db.execute(sql`delete from billing_group_recipients where org_id = ${params.orgId} and ${BENCH_RECIPIENT}`);
  await db.execute(sql`
    delete from statement_period_closes
    where period = ${params.period} and deliveries = 0 and closed_at >= ${params.startedAt.toISOString()}`);
}
