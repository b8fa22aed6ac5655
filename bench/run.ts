// `npm run bench` (through scripts/bench.mjs, which serves the production build on the database
// that `npm run seed:large` filled): every issue-8 figure next to its floor, as ratios.
//   pages   — server response time of each screen at the large org vs the same screen at the demo org
//   export  — the CSV bill of the large org's current period vs PostgreSQL's own COPY of the same query
//   ingest  — accepted events/s through HTTP vs a bare SQL INSERT loop, then zero overshoot
//   explain — EXPLAIN (ANALYZE, BUFFERS) of each screen's queries, checked for usage_events seq scans
//   statements — the large org's period close mailed to a local SMTP sink vs exporting the same
//                groups' CSVs (R39, issue 14); needs no console, so `--only statements` starts none
//   alerts  — single-event ingestion with alerts on vs the same run with alerts off (R40, issue
//             15), alternating; needs neither the console nor the large org
//   import  — the large org's Members import (R43, issue 16): preview and Apply of a 50,000-row file
//             through the console's routes vs COPY FROM of the same rows, and the server's peak RSS
// Writes bench/results/latest.{md,json} and bench/results/explain/*.txt; a run of some sections
// keeps the other sections' figures from the previous latest.json, with when and on what they
// were measured. It measures; it never asserts.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import os from "node:os";
import { sql } from "drizzle-orm";
import { APP_ROLE, createDatabase, type Transaction } from "../db/connection";
import { DEMO_ACCOUNTS } from "../db/seed/demo";
import { BASELINE_ORG, LARGE_ACCOUNTS, LARGE_ORG_ID, largeOrgState } from "../db/seed/large";
import { periodOf } from "../lib/periods/rules";
import { firstLoadKb } from "./lib/client-weight";
import { explainScreen, type CapturedPlan } from "./lib/explain";
import { download, median, percentile, signIn, timedGet, type Session } from "./lib/http";
import type { PageFigure } from "./lib/report";
import { groupRss } from "./lib/rss";

const SECTIONS = ["pages", "export", "ingest", "explain", "statements", "alerts", "import", "client"] as const;
/**
 * Not a section of its own: scripts/bench.mjs runs it alone, after the others, against a console
 * it restarted under `node --cpu-prof`; it adds `ingest.profile` to latest.json.
 */
const PROFILE_PASS = "profile";
/** The sections that measure the large org (`npm run seed:large`). */
const LARGE_ORG_SECTIONS = ["pages", "export", "ingest", "explain", "statements", "import"];
/** The sections that talk to the served console (scripts/bench.mjs starts it only for them). */
const CONSOLE_SECTIONS = ["pages", "export", "ingest", "explain", "import", PROFILE_PASS];
const databaseUrl = required("DATABASE_URL");
const serverGroup = Number(process.env.BENCH_SERVER_PGID ?? 0);
const only = new Set(process.env.BENCH_ONLY?.split(",") ?? SECTIONS);
const needsConsole = CONSOLE_SECTIONS.some((section) => only.has(section));
const base = needsConsole ? required("BENCH_BASE_URL") : "";
/** Requests per page and org; pages answer in 10–60 ms, and 15 left medians ±10 % apart run to run. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 31);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 5);
const STATEMENT_RUNS = Number(process.env.BENCH_STATEMENT_RUNS ?? 5);
const ALERT_ROUNDS = Number(process.env.BENCH_ALERT_ROUNDS ?? 7);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmark through \`npm run bench\`.`);
  return value;
}

const admin = createDatabase(databaseUrl, { max: 4 });
const app = createDatabase(databaseUrl, { max: 2, role: APP_ROLE });
const log = (line: string) => console.log(line);

type OrgContext = { orgId: string; session: Session; largestGroupId: string; historical: string };

async function orgContext(email: string, password: string): Promise<OrgContext> {
  const [row] = await admin.db.execute<{ org_id: string; created_at: Date }>(sql`
    select m.org_id, o.created_at from members m join organizations o on o.id = m.org_id
    where lower(m.email) = ${email} and m.password_hash is not null`);
  if (!row) throw new Error(`No member ${email}: run \`npm run seed:large\` first.`);
  const [largest] = await admin.db.execute<{ id: string }>(sql`
    select billing_group_id as id from members
    where org_id = ${row.org_id} and billing_group_id is not null and deactivated_at is null
    group by billing_group_id order by count(*) desc, billing_group_id limit 1`);
  const now = new Date();
  const historical = periodOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  return { orgId: row.org_id, session: await signIn(base, email, password), largestGroupId: largest!.id, historical };
}

async function datasetSummary() {
  const [row] = await admin.db.execute<Record<string, number>>(sql`
    select (select count(*) from members where org_id = ${LARGE_ORG_ID})::int as members,
           (select count(*) from billing_groups where org_id = ${LARGE_ORG_ID} and deleted_at is null)::int as "billingGroups",
           (select count(*) from members where org_id = ${LARGE_ORG_ID} and billing_group_id is null)::int as unassigned,
           (select count(*) from groups where org_id = ${LARGE_ORG_ID})::int as groups,
           (select count(*) from group_memberships where org_id = ${LARGE_ORG_ID})::int as "groupMemberships",
           (select count(distinct period) from member_period_usage where org_id = ${LARGE_ORG_ID})::int as periods,
           (select count(*) from usage_events where org_id = ${LARGE_ORG_ID})::int as "usageEvents",
           (select count(*) from usage_events where org_id = ${LARGE_ORG_ID} and period = ${periodOf(new Date())})::int as "usageEventsCurrentPeriod",
           (select count(*) from member_group_period_usage where org_id = ${LARGE_ORG_ID})::int as "memberGroupPeriodRows",
           (select count(*) from members where org_id = ${LARGE_ORG_ID} and billing_group_id = (
              select billing_group_id from members where org_id = ${LARGE_ORG_ID} and billing_group_id is not null
              group by 1 order by count(*) desc limit 1))::int as "largestBillingGroupMembers"`);
  return row!;
}

type PageSpec = { name: string; request: (ctx: OrgContext) => Promise<{ ms: number; bytes: number }> };

/** The Members search and the Groups search: terms that fill a first page in the large org and in its baseline. */
const MEMBER_SEARCH = "nguy";
const GROUP_SEARCH = "team 00";
const BILLING_GROUP_SEARCH = "eng";

function pageSpecs(): PageSpec[] {
  const current = () => periodOf(new Date());
  return [
    { name: "Billing Groups (current period)", request: (c) => timedGet(base, "/billing-groups", c.session) },
    {
      name: "Billing Groups (historical period)",
      request: (c) => timedGet(base, `/billing-groups?period=${c.historical}`, c.session),
    },
    {
      name: "Billing Groups (search)",
      request: (c) => timedGet(base, `/billing-groups?q=${BILLING_GROUP_SEARCH}`, c.session),
    },
    { name: "Members (first page)", request: (c) => timedGet(base, "/members", c.session) },
    { name: "Members (search)", request: (c) => timedGet(base, `/members?q=${MEMBER_SEARCH}`, c.session) },
    {
      name: "Members (billing group filter)",
      request: (c) => timedGet(base, `/members?billingGroup=${c.largestGroupId}`, c.session),
    },
    {
      name: "Billing group details (largest group)",
      // The details drawer reads through a GET route handler (issue 13), no longer a server action.
      request: (c) => timedGet(base, `/api/console/billing-groups/${c.largestGroupId}?period=${current()}`, c.session),
    },
    {
      name: "Usage trends (largest group)",
      request: (c) =>
        timedGet(base, `/api/console/billing-groups/${c.largestGroupId}/trends?period=${current()}`, c.session),
    },
    {
      name: "Recipients (largest group)",
      request: (c) => timedGet(base, `/api/console/billing-groups/${c.largestGroupId}/recipients`, c.session),
    },
    {
      name: "Groups (search)",
      request: (c) => timedGet(base, `/groups?q=${encodeURIComponent(GROUP_SEARCH)}`, c.session),
    },
    { name: "Notifications", request: (c) => timedGet(base, "/api/console/notifications", c.session) },
    { name: "Webhooks", request: (c) => timedGet(base, "/webhooks", c.session) },
    { name: "Audit Log", request: (c) => timedGet(base, "/audit-log", c.session) },
  ];
}

/** Median, p95 and bytes of one page at one org. */
type OrgRuns = { ms: number[]; bytes: number };

function pageStats(runs: OrgRuns) {
  return { medianMs: round(median(runs.ms)), p95Ms: round(percentile(runs.ms, 95)), bytes: runs.bytes };
}

/**
 * Issue 19, item 1: each page at the large org against the same page at its page-equal baseline
 * (the ratio the goal is about), and against the demo org as a second column. The three orgs take
 * turns, request by request, each round starting at the next org, so load drifts hit them alike.
 */
async function benchPages(orgs: { large: OrgContext; baseline: OrgContext; demo: OrgContext }) {
  log(`\nPages: median of ${REPEATS} requests each, the three orgs interleaved (server response, time to last byte)`);
  log("page                                      large ms  baseline ms  large ÷ baseline   demo ms  large ÷ demo");
  const figures: Record<string, PageFigure> = {};
  const order = ["large", "baseline", "demo"] as const;
  for (const spec of pageSpecs()) {
    const runs = { large: { ms: [], bytes: 0 }, baseline: { ms: [], bytes: 0 }, demo: { ms: [], bytes: 0 } } as Record<
      (typeof order)[number],
      OrgRuns
    >;
    for (let warm = 0; warm < 3; warm++) for (const org of order) await spec.request(orgs[org]);
    for (let i = 0; i < REPEATS; i++) {
      // Each round starts at another org, so no org always comes first (after the previous page).
      for (const org of [...order.slice(i % 3), ...order.slice(0, i % 3)]) {
        const { ms, bytes } = await spec.request(orgs[org]);
        runs[org].ms.push(ms);
        runs[org].bytes = bytes;
      }
    }
    const large = pageStats(runs.large);
    const baseline = pageStats(runs.baseline);
    const demo = pageStats(runs.demo);
    const figure: PageFigure = {
      ...large,
      ratio: round(median(runs.large.ms) / median(runs.baseline.ms), 2),
      baselineMedianMs: baseline.medianMs,
      baselineP95Ms: baseline.p95Ms,
      baselineBytes: baseline.bytes,
      demoMedianMs: demo.medianMs,
      demoP95Ms: demo.p95Ms,
      demoBytes: demo.bytes,
      demoRatio: round(median(runs.large.ms) / median(runs.demo.ms), 2),
    };
    figures[spec.name] = figure;
    log(
      `${spec.name.padEnd(40)} ${String(figure.medianMs).padStart(9)} ${String(figure.baselineMedianMs).padStart(12)} ${`${figure.ratio}×`.padStart(17)} ${String(figure.demoMedianMs).padStart(9)} ${`${figure.demoRatio}×`.padStart(13)}`,
    );
  }
  return figures;
}

/** Runs of each export path; a run takes about 300 ms, and three left medians ±0.15 apart run to run. */
const EXPORT_RUNS = 7;

async function benchExportFigures(large: OrgContext) {
  const { benchExport } = await import("./lib/export");
  const { mintApiKey, revokeMintedKey } = await import("../scripts/lib/local-console");
  const period = periodOf(new Date());
  log(`\nExport: all billing groups of the large org, ${period}`);
  const inProcess = await benchExport({ databaseUrl, orgId: large.orgId, period, runs: EXPORT_RUNS, log });
  // The same bill as finance downloads it, through the server: timed runs first, then runs with
  // the server's memory sampled. Sampling reads /proc every 10 ms from this process, which shares
  // the machine's 2 cores with the server and PostgreSQL, so it is kept out of the timed runs.
  const key = await mintApiKey(admin.db, large.orgId, "npm run bench", "npm run bench");
  const downloadBill = async (encoding: "identity" | "gzip") => {
    const { status, bytes } = await download(`${base}/api/v1/billing-groups/export?period=${period}`, {
      Authorization: `Bearer ${key.secret}`,
      "Accept-Encoding": encoding,
    });
    if (status !== 200) throw new Error(`export: HTTP ${status}`);
    return bytes;
  };
  try {
    const runs: { ms: number; bytes: number }[] = [];
    for (let run = 0; run < EXPORT_RUNS; run++) {
      const started = performance.now();
      // The bill's own bytes, as COPY's are: uncompressed (a browser offers gzip; see gzipMs).
      const bytes = await downloadBill("identity");
      runs.push({ ms: performance.now() - started, bytes });
    }
    const httpMs = median(runs.map((r) => r.ms));
    const memory: { peakRssMb: number; baseRssMb: number }[] = [];
    for (let run = 0; run < 3; run++) {
      const baseRss = groupRss(serverGroup);
      let peak = baseRss;
      const sampler = setInterval(() => (peak = Math.max(peak, groupRss(serverGroup))), 10);
      await downloadBill("identity");
      clearInterval(sampler);
      peak = Math.max(peak, groupRss(serverGroup));
      memory.push({ peakRssMb: peak / 2 ** 20, baseRssMb: baseRss / 2 ** 20 });
    }
    // The same bytes from a bare node:http server in its own process: the floor of any HTTP
    // download of this bill here (bench/lib/transfer-floor.ts).
    const { transferFloorMs } = await import("./lib/transfer-floor");
    const billBytes = Buffer.from(
      await (
        await fetch(`${base}/api/v1/billing-groups/export?period=${period}`, {
          headers: { Authorization: `Bearer ${key.secret}` },
        })
      ).arrayBuffer(),
    );
    const transferMs = await transferFloorMs(billBytes, EXPORT_RUNS);
    // What a browser gets when it offers gzip: the bytes on the wire say whether the stream was
    // compressed (informational, no goal; measured: Next sends this streamed response as it is).
    const gzipStarted = performance.now();
    const gzip = { bytes: await downloadBill("gzip") };
    const gzipMs = performance.now() - gzipStarted;
    const figures = {
      rows: inProcess.rows,
      bytes: inProcess.bytes,
      ms: round(httpMs),
      copyMs: round(inProcess.copyMs),
      ratio: round(httpMs / inProcess.copyMs, 2),
      inProcessMs: round(inProcess.ms),
      inProcessRatio: round(inProcess.ratio, 2),
      peakRssMb: round(Math.max(...memory.map((r) => r.peakRssMb)), 1),
      serverRssBeforeMb: round(memory[0]!.baseRssMb, 1),
      gzipMs: round(gzipMs),
      transferFloorMs: round(transferMs),
      // HTTP ÷ (COPY + the bare transfer of the same bytes): no goal, the HTTP path against its floor.
      ratioToHttpFloor: round(httpMs / (inProcess.copyMs + transferMs), 2),
      gzipBytes: gzip.bytes,
      // Issue 19: how much the server grew while streaming every group's bill (goal ≤ 64 MiB).
      rssGrowthMiB: round(Math.max(...memory.map((r) => r.peakRssMb - r.baseRssMb)), 1),
      benchHeapGrowthMb: round(inProcess.heapGrowthMb, 1),
    };
    log(
      `  through HTTP (GET /api/v1/billing-groups/export): ${figures.ms} ms for ${figures.rows.toLocaleString("en-US")} rows, ${(runs[0]!.bytes / 2 ** 20).toFixed(1)} MiB`,
    );
    log(
      `  the same with Accept-Encoding: gzip           : ${figures.gzipMs} ms, ${(figures.gzipBytes / 2 ** 20).toFixed(1)} MiB on the wire`,
    );
    log(`  the same bytes from a bare node:http server    : ${figures.transferFloorMs} ms (transfer floor)`);
    log(`  product stream in-process                      : ${figures.inProcessMs} ms`);
    log(`  COPY (same query) TO STDOUT WITH CSV           : ${figures.copyMs} ms`);
    log(`  ratio HTTP ÷ COPY ${figures.ratio}× · in-process ÷ COPY ${figures.inProcessRatio}× (goal ≤ 1.2×)`);
    log(
      `  server RSS: ${figures.serverRssBeforeMb} MiB before, ${figures.peakRssMb} MiB peak while streaming (growth ${figures.rssGrowthMiB} MiB, goal ≤ 64)`,
    );
    return figures;
  } finally {
    await revokeMintedKey(admin.db, large.orgId, key, "npm run bench", "npm run bench");
  }
}

async function benchIngestFigures() {
  const { benchIngest } = await import("./lib/ingest");
  log(`\nIngest: ${INGEST_SECONDS}s per level`);
  return benchIngest({ base, databaseUrl, seconds: INGEST_SECONDS, serverGroup, log });
}

async function explainAll(large: OrgContext) {
  const { getBillingGroupsForPeriod, getLiveBillingGroupOptions, getBillingGroupDetails } = await import(
    "../lib/billing-groups/queries"
  );
  const { orgDailyUsage, limitedGroupsUsage } = await import("../lib/billing-groups/trends");
  const { listMembers } = await import("../lib/members/queries");
  const { getBillPreview } = await import("../lib/export/queries");
  const { getMemberEntitlement } = await import("../lib/usage/queries");
  const orgId = large.orgId;
  const period = periodOf(new Date());
  const sort = { key: "name", direction: "asc" } as const;
  const screens: Record<string, (tx: Transaction) => Promise<unknown>> = {
    "billing-groups-current": (tx) =>
      getBillingGroupsForPeriod(tx, { orgId, period, includeDeletedWithUsage: false, sort }).then(() =>
        getLiveBillingGroupOptions(tx, { orgId }),
      ),
    "billing-groups-historical": (tx) =>
      getBillingGroupsForPeriod(tx, { orgId, period: large.historical, includeDeletedWithUsage: true, sort }),
    // The overview above the list (R45): Credits per day over two periods, and the limited groups.
    "billing-groups-overview": (tx) =>
      orgDailyUsage(tx, { orgId, period }).then(() => limitedGroupsUsage(tx, { orgId, period })),
    "members-first-page": (tx) =>
      listMembers(tx, { orgId, period, status: "active", sort: "name", dir: "asc", page: 1 }),
    "members-search": (tx) =>
      listMembers(tx, { orgId, period, search: MEMBER_SEARCH, status: "active", sort: "name", dir: "asc", page: 1 }),
    "members-filter": (tx) =>
      listMembers(tx, {
        orgId,
        period,
        billingGroup: large.largestGroupId,
        status: "active",
        sort: "name",
        dir: "asc",
        page: 1,
      }),
    "billing-group-details": (tx) =>
      getBillingGroupDetails(tx, { orgId, billingGroupId: large.largestGroupId, period, includeMembers: true }),
    "billing-group-details-historical": (tx) =>
      getBillingGroupDetails(tx, {
        orgId,
        billingGroupId: large.largestGroupId,
        period: large.historical,
        includeMembers: false,
      }),
    "export-preview": (tx) => getBillPreview(tx, { orgId, period, scope: { kind: "all" } }),
    entitlement: (tx) => getMemberEntitlement(tx, { orgId, member: LARGE_ACCOUNTS.admin.email, period }),
  };
  mkdirSync("bench/results/explain", { recursive: true });
  const summary: Record<string, { statements: number; seqScansOnUsageEvents: number; slowestMs: number }> = {};
  log("\nEXPLAIN (ANALYZE, BUFFERS) of each screen's queries at the large org");
  for (const [name, screen] of Object.entries(screens)) {
    const plans: CapturedPlan[] = await explainScreen(app.client, orgId, screen);
    writeFileSync(
      `bench/results/explain/${name}.txt`,
      plans.map((p, i) => `-- statement ${i + 1}\n-- ${p.statement}\n\n${p.plan}\n`).join("\n"),
    );
    summary[name] = {
      statements: plans.length,
      seqScansOnUsageEvents: plans.filter((p) => p.seqScanOnUsageEvents).length,
      slowestMs: round(Math.max(0, ...plans.map((p) => p.executionMs)), 2),
    };
    log(
      `  ${name.padEnd(34)} ${plans.length} statements, slowest ${summary[name]!.slowestMs} ms, seq scans of usage_events: ${summary[name]!.seqScansOnUsageEvents}`,
    );
  }
  return summary;
}

/**
 * The statements section's SMTP sink port, fixed before any section runs: lib/env reads the
 * environment once, and the alerts section (which runs first) already reads it.
 */
let smtpPort = 0;
async function reserveSmtpPort() {
  const { MAIL_FROM } = await import("./lib/statements");
  // A port the kernel hands out now; the sink binds it when its section runs.
  smtpPort = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  process.env.MAIL_FROM = MAIL_FROM;
}

async function benchStatementsFigures() {
  const { benchStatements, RECIPIENTS_PER_GROUP } = await import("./lib/statements");
  log(
    `\nStatements: the large org's period close, ${RECIPIENTS_PER_GROUP} recipients per billing group, mailed to a local SMTP sink (median of ${STATEMENT_RUNS})`,
  );
  const s = await benchStatements({ databaseUrl, orgId: LARGE_ORG_ID, runs: STATEMENT_RUNS, smtpPort, log });
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
  log(
    `  export of the ${s.groups} groups' CSVs (${s.period}), group after group : ${s.exportMs} ms, ${mib(s.exportBytes)} MiB`,
  );
  log(
    `  period close + ${s.recipients} statements handed to the sink            : ${s.statementsMs} ms (${s.messagesPerSec} messages/s; last recorded sent at ${s.recordedMs} ms)`,
  );
  log(
    `  mailed (whole messages, attachments in base64): ${mib(s.mailedBytes)} MiB; deliveries recorded sent per run: ${s.sentPerRun.join(", ")}`,
  );
  log(`  time inside sendMail, both senders together: ${s.smtpMs} ms`);
  log(`  CPU time of this process: export ${s.exportCpuMs} ms, statements ${s.statementsCpuMs} ms`);
  log(`  ratio statements ÷ export ${s.ratio}× (goal ≤ 2×)`);
  log(
    `  RSS of this process: ${s.rssStartMb} MiB before, ${s.rssPeakMb} MiB peak, ${s.rssEndMb} MiB after (peak per run: ${s.rssPeakPerRunMb.join(", ")})`,
  );
  return s;
}

async function benchAlertsFigures() {
  const { benchAlerts } = await import("./lib/alerts");
  log(
    "\nAlerts: single-event ingestion (the product's recordUsage, in-process) with alerts on (the current function) and off (the same without its R40 part)",
  );
  const a = await benchAlerts({ databaseUrl, seconds: INGEST_SECONDS, clients: 32, rounds: ALERT_ROUNDS, log });
  log(
    `  median off ${a.offMedian.toFixed(0)} events/s · on ${a.onMedian.toFixed(0)} events/s · ratio on ÷ off ${a.ratio.toFixed(2)} (goal ≥ 0.90)`,
  );
  log(`  threshold.crossed written by the "on" runs: ${a.crossings}; overshoot: ${a.overshoot}`);
  return a;
}

async function benchImportFigures(large: OrgContext) {
  const { benchImport } = await import("./lib/import");
  log("\nImport: the large org's Members, a 50,000-row file that changes every row, previewed and applied (R43)");
  return benchImport({ base, session: large.session, admin, orgId: large.orgId, serverGroup, log });
}

/** Sections kept from an earlier run, with the date and machine they were measured on. */
type Earlier = { sections: string[]; date: string; machine: unknown };

/**
 * A run of some sections keeps the others from the previous latest.json, so the committed file
 * always holds every section; `earlier` says when, and on what, those were measured.
 */
function withEarlierSections(results: Record<string, unknown>): Record<string, unknown> {
  const file = "bench/results/latest.json";
  if (SECTIONS.every((section) => only.has(section)) || !existsSync(file)) return results;
  const previous = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> & { earlier?: Earlier[] };
  results.dataset ??= previous.dataset;
  const earlier: Earlier[] = [];
  for (const section of SECTIONS) {
    if (only.has(section) || previous[section] === undefined) continue;
    results[section] = previous[section];
    const source = previous.earlier?.find((e) => e.sections.includes(section)) ?? {
      date: previous.date as string,
      machine: previous.machine,
    };
    const group = earlier.find((e) => e.date === source.date);
    if (group) group.sections.push(section);
    else earlier.push({ sections: [section], date: source.date, machine: source.machine });
  }
  return earlier.length > 0 ? { ...results, earlier } : results;
}

/**
 * Issue 19, item 3: single events at 32 clients against the console running under
 * `node --cpu-prof`, which is then stopped so it writes its profile; its top frames go into
 * latest.json's `ingest.profile`, and latest.md is rendered again. Nothing else changes.
 */
async function profileSingleEvents() {
  const { singleEventLoad } = await import("./lib/ingest");
  const { summarizeProfile } = await import("./lib/profile");
  const dir = required("BENCH_PROFILE_DIR");
  const seconds = INGEST_SECONDS * 2;
  log(`\nProfile: single events from 32 clients for ${seconds} s against the console under node --cpu-prof`);
  const loadStartedUs = Number(process.hrtime.bigint() / 1_000n);
  const eventsPerSec = await singleEventLoad({ base, databaseUrl, seconds, clients: 32 });
  // SIGTERM to the server's group; Node writes a --cpu-prof profile as it exits.
  process.kill(-serverGroup, "SIGTERM");
  for (let waited = 0; groupRss(serverGroup) > 0 && waited < 30_000; waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));
  const profiles = readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => summarizeProfile(JSON.parse(readFileSync(path.join(dir, name), "utf8")), 15, loadStartedUs));
  // `next start` may run the server in a child process: the busiest profile is the server's.
  const busiest = profiles.sort((a, b) => b.activeMs - a.activeMs)[0];
  if (!busiest) throw new Error(`No CPU profile was written to ${dir}.`);
  const profile = { clients: 32, seconds, eventsPerSec: round(eventsPerSec), ...busiest };
  log(
    `  ${profile.eventsPerSec} events/s; the server was busy ${busiest.activeMs} ms, idle ${busiest.idleShare} % of the time`,
  );
  for (const f of busiest.self.slice(0, 10))
    log(`  ${String(f.ms).padStart(6)} ms ${String(f.share).padStart(5)} %  ${f.frame}`);
  const file = "bench/results/latest.json";
  const latest = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  if (!latest.ingest) throw new Error("latest.json has no ingest section to add the profile to.");
  (latest.ingest as Record<string, unknown>).profile = profile;
  writeFileSync(file, `${JSON.stringify(latest, null, 2)}\n`);
  const { renderLatestMarkdown } = await import("./lib/report");
  writeFileSync("bench/results/latest.md", renderLatestMarkdown(latest));
  log("Added ingest.profile to bench/results/latest.json and latest.md.");
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

try {
  if (only.has(PROFILE_PASS)) {
    await profileSingleEvents();
    await Promise.all([admin.client.end(), app.client.end()]);
    process.exit(0);
  }
  if (only.has("statements")) await reserveSmtpPort();
  const needsLargeOrg = LARGE_ORG_SECTIONS.some((section) => only.has(section));
  if (needsLargeOrg && (await largeOrgState(admin.db)) !== "complete")
    throw new Error("The large organization is not seeded: run `npm run seed:large` first.");
  if (only.has("pages") && (await largeOrgState(admin.db, BASELINE_ORG)) !== "complete")
    throw new Error(
      "The page-equal baseline org is not seeded: run `npm run seed:large` (it adds it beside the large org).",
    );
  // Without a large-org section the dataset is the previous run's (withEarlierSections keeps it).
  const dataset = needsLargeOrg ? await datasetSummary() : undefined;
  if (dataset) log(`Dataset (large org): ${JSON.stringify(dataset)}`);
  const large = needsConsole ? await orgContext(LARGE_ACCOUNTS.admin.email, LARGE_ACCOUNTS.admin.password) : undefined;
  const demo = needsConsole ? await orgContext(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password) : undefined;
  const baseline = only.has("pages")
    ? await orgContext(BASELINE_ORG.accounts.admin.email, BASELINE_ORG.accounts.admin.password)
    : undefined;
  let results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    },
    dataset,
  };
  const [{ version }] = (await admin.client`select current_setting('server_version') as version`) as unknown as [
    { version: string },
  ];
  (results.machine as Record<string, unknown>).postgres = version;
  if (only.has("pages")) results.pages = await benchPages({ large: large!, baseline: baseline!, demo: demo! });
  if (only.has("export")) results.export = await benchExportFigures(large!);
  if (only.has("ingest")) results.ingest = await benchIngestFigures();
  if (only.has("explain")) results.explain = await explainAll(large!);
  // After the sections that read the org: it moves every member and moves them back.
  if (only.has("import")) results.import = await benchImportFigures(large!);
  // Before statements: that section ends the product's pool when it is done.
  if (only.has("alerts")) results.alerts = await benchAlertsFigures();
  if (only.has("statements")) results.statements = await benchStatementsFigures();
  // Issue 19, item 6: the production build's first-load JavaScript per route (scripts/bench.mjs built it).
  if (only.has("client")) results.client = { firstLoadKb: firstLoadKb(".next"), goalKb: 250 };
  results = withEarlierSections(results);
  // Issue 19's goal table reads alerts on ÷ off as an ingestion figure.
  const alerts = results.alerts as { ratio?: number } | undefined;
  if (results.ingest && alerts?.ratio !== undefined)
    (results.ingest as Record<string, unknown>).alertsOnRatio = round(alerts.ratio, 2);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify(results, null, 2)}\n`);
  const { renderLatestMarkdown } = await import("./lib/report");
  writeFileSync("bench/results/latest.md", renderLatestMarkdown(results));
  log("\nWrote bench/results/latest.md, bench/results/latest.json and bench/results/explain/.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await admin.client.end();
  await app.client.end();
  // A section that failed half-way may leave a pool, a sink or a job sender open: do not wait on them.
  process.exit(process.exitCode ?? 0);
}
