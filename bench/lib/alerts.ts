// The alerts benchmark (issue 15, R40): single-event ingestion through the product's own
// `recordUsage` with alerts on (the current `ledgerline_record_usage`, from the latest migration
// that defines it: since 0012 it reads the thresholds with the limit, re-reads the group under its
// usage-row lock and writes `threshold.crossed` on a crossing, and the dispatcher is woken after
// commit) next to the same run with alerts off (the same current function with its R40 part cut
// out — the group re-read and the threshold loop — loaded for the run on the owner's connection,
// so "off" still has every later feature: default limits, daily usage). Off and on alternate
// `rounds` times, each run in a fresh org whose groups have limits and low thresholds, so
// crossings happen in every "on" run. In-process, without HTTP: the request's own constant cost
// would only dilute the difference. The current definition is always restored. It measures; it
// never asserts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDatabase } from "../../db/connection";
import { median } from "./http";
import { createBenchOrg, deleteBenchOrg, drive, rollupViolations } from "./ingest";

export type AlertsBenchResult = {
  clients: number;
  seconds: number;
  rounds: number;
  /** Accepted events/s of each run, in the order measured. */
  offPerSec: number[];
  onPerSec: number[];
  offMedian: number;
  onMedian: number;
  /** on ÷ off (goal ≥ 0.90: alerts cost at most 10 % of throughput). */
  ratio: number;
  /** `threshold.crossed` events the "on" runs wrote (the alert path was exercised). */
  crossings: number;
  /** Accepted beyond a limit, or rollups ≠ events, over every run's org (must be 0). */
  overshoot: number;
};

const MIGRATIONS = path.resolve(import.meta.dirname, "../../db/migrations");
/** Percents low enough that every "on" run crosses several of them in every group. */
const THRESHOLDS = [1, 2, 5, 10, 25];
/** 10,000 Credits a group: never reached in a run, so every event is accepted. */
const GROUP_LIMIT = 1_000_000n;

/** The `CREATE OR REPLACE FUNCTION ledgerline_record_usage(` statement of one migration file. */
export function recordUsageDefinition(file: string): string {
  const statements = readFileSync(path.join(MIGRATIONS, file), "utf8").split("--> statement-breakpoint");
  const found = statements
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .find((statement) => statement.startsWith("CREATE OR REPLACE FUNCTION ledgerline_record_usage("));
  if (!found) throw new Error(`No ledgerline_record_usage definition in ${file}.`);
  return found;
}

/** Where the current definition's R40 part starts (comments are already stripped), and what follows it. */
const ALERTS_BEGIN =
  "\n  IF v_member.billing_group_id IS NOT NULL THEN\n    SELECT bg.period_limit, bg.alert_thresholds INTO v_fresh";
const ALERTS_END = "\n  INSERT INTO member_period_usage AS u";

/**
 * The current definition with alerts cut out: everything from the R40 block (the group re-read
 * under the usage-row lock and the threshold loop that writes `threshold.crossed`) up to the
 * personal rollup, so the function returns `events: 0` and writes no alert. Everything else —
 * locks, limits, default limits, daily usage — is the current text. Throws when the markers move,
 * rather than measuring something else.
 */
export function alertsOffDefinition(current: string): string {
  const begin = current.indexOf(ALERTS_BEGIN);
  const end = current.indexOf(ALERTS_END);
  if (begin < 0 || end < begin || current.indexOf(ALERTS_BEGIN, begin + 1) >= 0)
    throw new Error(
      "ledgerline_record_usage no longer has one R40 block before its personal rollup: update bench/lib/alerts.ts.",
    );
  const off = current.slice(0, begin) + current.slice(end);
  if (off.includes("threshold.crossed")) throw new Error("The alerts-off definition still writes threshold.crossed.");
  return off;
}

/** The current definition: the one in the latest migration file that defines the function. */
export function currentRecordUsageDefinition(): { file: string; definition: string } {
  const files = readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .reverse();
  for (const file of files) {
    try {
      return { file, definition: recordUsageDefinition(file) };
    } catch {
      // This migration does not define it; look at the one before.
    }
  }
  throw new Error("No migration defines ledgerline_record_usage.");
}

export async function benchAlerts(opts: {
  databaseUrl: string;
  seconds: number;
  clients: number;
  rounds: number;
  log?: (line: string) => void;
}): Promise<AlertsBenchResult> {
  const log = opts.log ?? (() => {});
  // Always the current one, so the run measures what ships and leaves the database as migrated.
  const on = currentRecordUsageDefinition().definition;
  const off = alertsOffDefinition(on);
  const owner = createDatabase(opts.databaseUrl, { max: 2 });
  const { recordUsage } = await import("../../lib/usage/service");
  const { closeDb } = await import("../../db");
  const { closeJobSender } = await import("../../lib/jobs/boss");
  const orgs: string[] = [];
  const result: AlertsBenchResult = {
    clients: opts.clients,
    seconds: opts.seconds,
    rounds: opts.rounds,
    offPerSec: [],
    onPerSec: [],
    offMedian: 0,
    onMedian: 0,
    ratio: 0,
    crossings: 0,
    overshoot: 0,
  };

  /** One run: a fresh org (64 members over 8 groups with limits), `clients` loops of 1-Credit events. */
  const measure = async (label: string) => {
    const org = await createBenchOrg(owner.db, `Bench alerts ${label}`, 64, {
      personalLimit: 10n ** 12n,
      groupLimit: GROUP_LIMIT,
      groups: 8,
      alertThresholds: THRESHOLDS,
    });
    orgs.push(org.orgId);
    const record = (n: number) =>
      recordUsage({
        orgId: org.orgId,
        apiKeyId: null,
        member: org.people[n % org.people.length]!.id,
        credits: 100n,
        idempotencyKey: randomUUID(),
        requestHash: randomUUID(),
      });
    for (let i = 0; i < 20; i++) await record(i);
    const perSec = await drive(opts.clients, opts.seconds, async (c, n) => {
      return (await record(c + n * opts.clients)).kind === "accepted";
    });
    const [row] = await owner.db.execute<{ n: number }>(
      sql`select count(*)::int as n from events where org_id = ${org.orgId} and type = 'threshold.crossed'`,
    );
    result.overshoot += await rollupViolations(owner.db, org.orgId);
    return { perSec, crossings: row!.n };
  };

  try {
    log(`  alternating off/on ${opts.rounds}×, ${opts.clients} concurrent clients, ${opts.seconds}s a run`);
    for (let round = 1; round <= opts.rounds; round++) {
      await owner.client.unsafe(off);
      const o = await measure("off");
      result.offPerSec.push(o.perSec);
      await owner.client.unsafe(on);
      const a = await measure("on");
      result.onPerSec.push(a.perSec);
      result.crossings += a.crossings;
      log(
        `  round ${round}: off ${o.perSec.toFixed(0)} events/s (${o.crossings} crossings) · on ${a.perSec.toFixed(0)} events/s (${a.crossings} crossings)`,
      );
    }
  } finally {
    // Whatever happened, the database keeps the current definition.
    await owner.client.unsafe(on);
    for (const orgId of orgs) await deleteBenchOrg(owner.db, orgId, log);
    await closeJobSender();
    await closeDb();
    await owner.client.end();
  }
  result.offMedian = median(result.offPerSec);
  result.onMedian = median(result.onPerSec);
  result.ratio = result.onMedian / result.offMedian;
  return result;
}
