// `npm run test:cluster` (issue 20): Ledgerline as it runs in production, on this machine's
// loopback only. PostgreSQL 15 (Debian's packages) as a primary with one streaming replica, two
// console instances (one production build, its standalone `server.js` as the image runs it) reading reports from the replica,
// two job workers, HAProxy in front checking /api/ready. Under an ingestion load through HAProxy
// with idempotent retries, one console is killed (-9) and restarted, the other restarted gracefully
// (SIGTERM), and the month ends (the instances share a clock moved to just before a month
// boundary). Then it checks: every 2xx answer recorded once, no key twice, no limit exceeded,
// rollups equal to events, the period close's statements and the alerts delivered once across
// workers, and the replica's export equal to the primary's once replay has caught up.
// Every process it starts is stopped by pid, on success, failure, timeout or Ctrl+C.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import PgBoss from "pg-boss";
import postgres from "postgres";
import { runMigrations } from "../db/migrate";
import { JOB_SCHEMA, QUEUES } from "../lib/jobs/queues";
import { startSmtpSink } from "../lib/mail/sink";
import { periodOf } from "../lib/periods/rules";
import { startWebhookReceiver } from "../lib/webhooks/receiver";
import { verifySignature } from "../lib/webhooks/signature";
import { createFixture } from "./lib/cluster/fixture";
import { startHaproxy } from "./lib/cluster/haproxy";
import { longestGapMs, startLoad } from "./lib/cluster/load";
import { databaseUser, ensureSystemPackages, makeDir, startReplicatedPostgres } from "./lib/cluster/postgres";
import { ProcessTracker, runToCompletion, sleep, tailOf, type Tracked, waitForHealthy } from "./lib/cluster/processes";
import {
  checkDeliveredOnce,
  checkOvershoot,
  checkRecordedOnce,
  checkRollups,
  waitForDeliveries,
} from "./lib/cluster/verify";
import { checkReplicaExport, checkStatementAttachments } from "./lib/cluster/exports";
import { ensureRuntimeLogin, withLogin } from "./lib/runtime-role.mjs";
import {
  STANDALONE,
  STANDALONE_SERVER,
  assembleStandalone,
  standaloneIsAssembled,
  standaloneServerEnv,
} from "./lib/standalone.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
// Ports: consoles and HAProxy in 3500–3599, PostgreSQL in 55432–55439.
const PORTS = { balancer: 3500, consoles: [3501, 3502], mail: 3510, webhooks: 3511, primary: 55432, replica: 55433 };
/** The cluster part (after any build) is stopped, and fails, after this long. */
const HARD_TIMEOUT_MS = 6 * 60_000;
/** A build, when one is needed, may take this much longer (two shared cores). */
const BUILD_TIMEOUT_MS = 10 * 60_000;
/** How long after the consoles start the shared clock reaches the month's end. */
const BOUNDARY_AFTER_MS = 55_000;
const LOAD_CLIENTS = 6;
const WORKERS = 2;

const started = Date.now();
const log = (line: string) =>
  console.log(`[cluster ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-cluster-"));
const tracker = new ProcessTracker(dir);
const closers: (() => Promise<unknown>)[] = [];
let stopLoad = () => {};
let failed = false;

const isDatabase = (tracked: Tracked) => tracked.name.startsWith("postgres");

/**
 * The instances and workers first (they hold connections to what follows), then this process's
 * own servers and pools (each given 5 s: the SMTP sink waits for its clients to hang up), then
 * PostgreSQL (fast shutdown is SIGINT).
 */
async function cleanUp(): Promise<void> {
  stopLoad();
  await tracker.stopAll({ only: (tracked) => !isDatabase(tracked) });
  for (const close of closers.reverse()) await Promise.race([close().catch(() => undefined), sleep(5_000)]);
  await tracker.stopAll({ signal: "SIGINT" });
  if (failed && process.env.CLUSTER_KEEP !== "0") log(`Logs and data kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

let cleaningUp = false;
/** Cleans up once (a signal or the timeout may arrive while it runs), then exits with `code`. */
function stopAndExit(code: number, why?: string): void {
  if (why) console.error(`\n${why}`);
  failed ||= code !== 0;
  if (cleaningUp) return;
  cleaningUp = true;
  void cleanUp().finally(() => process.exit(failed ? 1 : code));
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => stopAndExit(1, `Stopped by ${signal}.`));

/** The production build, made once unless one newer than every source file exists (e2e makes one). */
async function ensureBuild(): Promise<void> {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (existsSync(buildId) && !newerSourceThan(statSync(buildId).mtimeMs)) return;
  log("Building the console once (next build)…");
  await runToCompletion(tracker, "next-build", BIN("next"), ["build"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "postgres://build@127.0.0.1:1/build" },
  });
}

/** The standalone folder the image runs (server.js with its static files), assembled once per build. */
async function ensureStandalone(): Promise<void> {
  if (!standaloneIsAssembled()) await assembleStandalone();
}

function newerSourceThan(mtimeMs: number): boolean {
  const sources = ["app", "components", "lib", "db", "proxy.ts", "next.config.mjs", "package-lock.json"];
  const newer = (file: string): boolean => {
    const stat = statSync(file);
    if (!stat.isDirectory()) return stat.mtimeMs > mtimeMs;
    return readdirSync(file).some((entry) => newer(path.join(file, entry)));
  };
  return sources.map((source) => path.join(ROOT, source)).some((source) => existsSync(source) && newer(source));
}

/** The first instant (UTC) of the month after the one `instant` falls in. */
function nextMonthStartAfter(instant: number): number {
  const at = new Date(instant);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
}

async function main(): Promise<void> {
  setTimeout(
    () =>
      stopAndExit(
        1,
        `Hard timeout: the build and cluster ran past ${(BUILD_TIMEOUT_MS + HARD_TIMEOUT_MS) / 60_000} minutes.`,
      ),
    BUILD_TIMEOUT_MS + HARD_TIMEOUT_MS,
  ).unref();
  ensureSystemPackages(log);
  await ensureBuild();
  await ensureStandalone();
  const clusterStarted = Date.now();
  setTimeout(
    () => stopAndExit(1, `Hard timeout: the cluster part ran past ${HARD_TIMEOUT_MS / 60_000} minutes.`),
    HARD_TIMEOUT_MS,
  ).unref();

  const runAs = databaseUser(dir);
  const pg = await startReplicatedPostgres({
    tracker,
    dir: makeDir(path.join(dir, "pg"), runAs),
    runAs,
    ports: { primary: PORTS.primary, replica: PORTS.replica },
    password: randomBytes(18).toString("base64url"),
  });
  log(`PostgreSQL 15 primary on ${PORTS.primary}, streaming replica on ${PORTS.replica}`);

  // The owner migrates once; the instances log in as the runtime role, on both servers (roles replicate).
  await runMigrations(pg.ownerUrl);
  const runtime = { user: "ledgerline_cluster_runtime", password: randomBytes(18).toString("base64url") };
  const appUrl = withLogin(pg.ownerUrl, runtime);
  const replicaAppUrl = withLogin(pg.replicaOwnerUrl, runtime);
  await ensureRuntimeLogin(pg.ownerUrl, appUrl, { resetPassword: true });

  const mail = await startSmtpSink({ port: PORTS.mail, host: "127.0.0.1" });
  closers.push(() => mail.close());
  const hooks = await startWebhookReceiver({ port: PORTS.webhooks, host: "127.0.0.1" });
  closers.push(() => hooks.close());
  const encryptionKey = randomBytes(32).toString("base64url");
  const fixture = await createFixture(pg.ownerUrl, encryptionKey, `${hooks.url.replace(/\/$/, "")}/ledgerline`);

  const owner = postgres(pg.ownerUrl, { max: 2, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  closers.push(() => owner.end({ timeout: 2 }));
  const replicaOwner = postgres(pg.replicaOwnerUrl, { max: 1, onnotice: () => {} });
  closers.push(() => replicaOwner.end({ timeout: 2 }));
  const primaryApp = postgres(appUrl, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  closers.push(() => primaryApp.end({ timeout: 2 }));

  // One clock for every instance, restarts included: the month ends BOUNDARY_AFTER_MS from now
  // (a month that ends later than today, so the organization, created now, existed all through it).
  const boundaryAt = Date.now() + BOUNDARY_AFTER_MS;
  const monthStart = nextMonthStartAfter(Date.now() + 24 * 3_600_000);
  const offsetMs = monthStart - boundaryAt;
  const closingPeriod = periodOf(new Date(monthStart - 1));
  const newPeriod = periodOf(new Date(monthStart));
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_APP_URL: appUrl,
    DATABASE_REPLICA_APP_URL: replicaAppUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: `http://127.0.0.1:${PORTS.balancer}`,
    LEDGERLINE_TRUSTED_PROXY_HOPS: "1",
    LEDGERLINE_TEST_CLOCK: "1",
    LEDGERLINE_TEST_CLOCK_OFFSET_MS: String(offsetMs),
    LEDGERLINE_ENCRYPTION_KEY: encryptionKey,
    LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE: "true",
    SMTP_URL: `smtp://cluster:cluster@127.0.0.1:${PORTS.mail}`,
    MAIL_FROM: "Ledgerline Cluster <statements@cluster.example.com>",
  };
  for (const name of ["DATABASE_URL", "DATABASE_REPLICA_URL", "PORT"]) delete appEnv[name];

  const consoles: Tracked[] = [];
  const startConsole = (index: number, generation: number) => {
    const port = PORTS.consoles[index]!;
    // Loopback only: the standalone server listens on HOSTNAME.
    consoles[index] = tracker.start(`console-${index + 1}.${generation}`, process.execPath, [STANDALONE_SERVER], {
      cwd: STANDALONE,
      env: standaloneServerEnv(appEnv, port, "127.0.0.1"),
    });
    return waitForHealthy(`http://127.0.0.1:${port}/api/ready`, 90_000, consoles[index]);
  };
  // Workers first: a console is ready (/api/ready) only once a job runner is alive.
  for (let w = 1; w <= WORKERS; w++) {
    tracker.start(`worker-${w}`, BIN("tsx"), ["--conditions=react-server", "scripts/worker.ts"], {
      cwd: ROOT,
      env: appEnv,
    });
  }
  await Promise.all(PORTS.consoles.map((_, index) => startConsole(index, 1)));
  startHaproxy({
    tracker,
    dir,
    port: PORTS.balancer,
    backends: PORTS.consoles.map((port, index) => ({ name: `console${index + 1}`, port })),
  });
  const balancer = `http://127.0.0.1:${PORTS.balancer}`;
  await waitForHealthy(`${balancer}/api/ready`, 15_000);
  log(
    `2 consoles behind HAProxy on ${PORTS.balancer}, ${WORKERS} workers; ${closingPeriod} ends in ${((boundaryAt - Date.now()) / 1000).toFixed(0)} s`,
  );

  // The load, with the restarts and the month's end happening under it.
  const loadStarted = Date.now();
  if (loadStarted > boundaryAt - 15_000) {
    log(`warning: the consoles took long to start; ${closingPeriod} ends less than 15 s into the load`);
  }
  const load = startLoad({
    url: `${balancer}/api/v1/usage`,
    apiKey: fixture.apiKey,
    members: fixture.memberEmails,
    clients: LOAD_CLIENTS,
    until: Math.max(boundaryAt + 20_000, loadStarted + 45_000),
  });
  stopLoad = load.stop;
  const boss = new PgBoss({
    connectionString: pg.ownerUrl,
    schema: JOB_SCHEMA,
    migrate: false,
    supervise: false,
    schedule: false,
    max: 1,
  });
  boss.on("error", () => {});
  await boss.start();
  closers.push(() => boss.stop({ graceful: false, wait: true }));
  // The minute's cron closes the period too; waking the tick at the boundary saves waiting for it.
  const wakeTicks = (async () => {
    await sleep(Math.max(0, boundaryAt - Date.now()) + 1_000);
    log(`${closingPeriod} has ended for every instance: waking the period close`);
    await boss.send(QUEUES.statementsTick, {});
    await boss.send(QUEUES.eventsTick, {});
  })();

  await sleep(6_000);
  log("kill -9 console 1, then start it again");
  await tracker.kill(consoles[0]!);
  const crashRestart = Date.now();
  await startConsole(0, 2);
  const crashRestartSeconds = (Date.now() - crashRestart) / 1000;
  log(`console 1 healthy again after ${crashRestartSeconds.toFixed(1)} s`);
  await sleep(2_000);
  log("SIGTERM console 2 (graceful), then start it again");
  const gracefulStop = Date.now();
  await tracker.stop(consoles[1]!, "SIGTERM", 30_000);
  await startConsole(1, 2);
  const gracefulSeconds = (Date.now() - gracefulStop) / 1000;
  log(`console 2 healthy again after ${gracefulSeconds.toFixed(1)} s`);

  const result = await load.done;
  await wakeTicks;
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  log(`load done: ${result.events.length} requests in ${loadSeconds.toFixed(0)} s`);

  await waitForDeliveries(owner, { orgId: fixture.orgId, period: closingPeriod, recipients: fixture.recipients });

  const problems: string[] = [];
  const once = await checkRecordedOnce(owner, fixture.orgId, result.events);
  const overshoot = await checkOvershoot(owner, fixture.orgId);
  const rollups = await checkRollups(owner, fixture.orgId);
  const delivered = await checkDeliveredOnce(owner, {
    orgId: fixture.orgId,
    period: closingPeriod,
    recipients: fixture.recipients,
    received: {
      statementMails: mail.messages.filter((m) => m.messageId?.startsWith("<statement.")).map((m) => m.messageId!),
      alertMails: mail.messages.filter((m) => m.messageId?.startsWith("<alert.")).map((m) => m.messageId!),
      webhookEventIds: hooks.received.map((request) => request.eventId ?? "(none)"),
    },
  });
  problems.push(...once.problems, ...overshoot.problems, ...rollups.problems, ...delivered.problems);
  problems.push(
    ...(await checkStatementAttachments(owner, primaryApp, {
      orgId: fixture.orgId,
      period: closingPeriod,
      mails: mail.messages,
    })),
  );
  // Signed with the instances' clock, which runs offsetMs ahead of this process's.
  const unsigned = hooks.received.filter(
    (request) =>
      !verifySignature({
        secret: fixture.webhookSecret,
        header: request.signature,
        rawBody: request.rawBody,
        nowSeconds: (request.receivedAt.getTime() + offsetMs) / 1000,
      }),
  ).length;
  if (unsigned > 0) problems.push(`${unsigned} webhook(s) without a valid signature`);

  const [roomiest] = await owner<{ email: string }[]>`
    select m.email from members m
    left join member_period_usage u on u.org_id = m.org_id and u.member_id = m.id and u.period = ${newPeriod}
    where m.org_id = ${fixture.orgId} and m.billing_group_id is null
    order by coalesce(u.credits, 0), m.email limit 1`;
  const replicaExport = await checkReplicaExport({
    balancer,
    apiKey: fixture.apiKey,
    orgId: fixture.orgId,
    owner,
    replicaOwner,
    primaryApp,
    member: roomiest!.email,
    periods: [closingPeriod, newPeriod],
  });
  problems.push(...replicaExport.problems);

  const answered = result.events.filter((e) => e.status !== null && e.status < 300).length;
  const refused = result.events.filter((e) => e.status === 402).length;
  const replayed = result.events.filter((e) => e.status === 200).length;
  const unresolved = result.events.filter((e) => e.status === null).length;
  const other = result.events.length - answered - refused - unresolved;
  const attempts = result.events.reduce((sum, e) => sum + e.attempts, 0);
  if (once.recorded !== answered) problems.push(`${answered} requests answered 2xx, ${once.recorded} events recorded`);
  if (unresolved > 0) problems.push(`${unresolved} request(s) never answered within 30 s of retries`);
  if (other > 0) problems.push(`${other} request(s) answered neither 2xx nor 402`);
  const failures = [...result.failures].map(([cause, n]) => `${n} ${cause}`).join(", ") || "none";
  const figures = [
    `requests ${result.events.length} (${(result.events.length / loadSeconds).toFixed(0)}/s, ${LOAD_CLIENTS} clients, ${loadSeconds.toFixed(0)} s)`,
    `retries ${attempts - result.events.length} (failed attempts: ${failures})`,
    `answered 2xx ${answered} (${replayed} of them replays of a retried key), refused at a limit (402) ${refused}, unanswered ${unresolved}`,
    `recorded ${once.recorded}, duplicates ${once.duplicates}, overshoot ${overshoot.overshoot}`,
    `rollups equal events: ${rollups.problems.length === 0 ? "yes" : "NO"} (${rollups.rows.members} member and ${rollups.rows.groups} group period rows)`,
    `period close ${closingPeriod}: ${delivered.statements} statements for ${fixture.recipients} recipients, each mailed once, each CSV = the primary's bill; alerts: ${delivered.alertEvents} events, ${delivered.alertDeliveries} deliveries, each once`,
    `replica export equals primary after replay to ${replicaExport.caughtUp.lsn} (waited ${replicaExport.caughtUp.waitedMs} ms): ${replicaExport.equal.join(", ") || "no"}`,
    `failover gap ${(longestGapMs(result.answerTimes) / 1000).toFixed(2)} s (longest stretch in which HAProxy answered nobody); kill -9 → healthy ${crashRestartSeconds.toFixed(1)} s, SIGTERM → healthy ${gracefulSeconds.toFixed(1)} s`,
    `wall time ${((Date.now() - started) / 1000).toFixed(0)} s (cluster part ${((Date.now() - clusterStarted) / 1000).toFixed(0)} s)`,
  ];
  console.log(`\nCluster test figures\n${figures.map((line) => `  ${line}`).join("\n")}`);
  if (problems.length > 0) {
    throw new Error(`The cluster test found ${problems.length} problem(s):\n  ${problems.slice(0, 40).join("\n  ")}`);
  }
}

main().then(
  () => {
    log("PASSED");
    stopAndExit(0);
  },
  (error: unknown) => {
    console.error(`\nCluster test FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    for (const tracked of tracker.list())
      console.error(`\n--- ${tracked.name} (pid ${tracked.pid})\n${tailOf(tracked.logFile, 15)}`);
    stopAndExit(1);
  },
);
