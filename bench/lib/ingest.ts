// The ingestion benchmark (issue 8), importable: accepted usage events per second through HTTP
// (POST /api/v1/usage on a running console, loopback only) at 1, 8 and 32 concurrent clients, next
// to a bare SQL baseline — one INSERT into usage_events per event, the same number of concurrent
// loops on one pool — as a ratio. Then proves zero overshoot under contention. It works in
// throwaway organizations that it deletes at the end. Figures only; no timings are asserted.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { sql } from "drizzle-orm";
import { createDatabase, type Database } from "../../db/connection";
import { billingGroups, members, organizations } from "../../db/schema";
import { periodOf } from "../../lib/periods/rules";
import { assertConsoleUp, mintApiKey } from "../../scripts/lib/local-console";
import { groupCpuMs, postgresCpuMs, postmasterOf } from "./rss";

export type IngestLevel = {
  eventsPerSec: number;
  bareSqlPerSec: number;
  ratio: number;
  /** Single events only: events/s ÷ `GET /api/health` requests/s at the same concurrency (issue 19's goal). */
  ratioToFloor?: number;
};

/** Requests/s of `GET /api/health` (process up, no database read since issue 20): the framework's own ceiling. */
export type FrameworkFloor = { requestsPerSec: number; ratioToBareSql: number };

export type IngestBenchResult = {
  c1: IngestLevel;
  c8: IngestLevel;
  c32: IngestLevel;
  /** The cheapest request Next can serve, at the same concurrency: the bound on any HTTP path. */
  floor: { c1: FrameworkFloor; c8: FrameworkFloor; c32: FrameworkFloor };
  /** `POST /api/v1/usage/batch` with BATCH_SIZE events a request: how a high-volume service meters. */
  batch: { c1: IngestLevel; c8: IngestLevel; size: number };
  /**
   * CPU milliseconds per request at 32 clients, single events and `GET /api/health`: the server's
   * process group, the PostgreSQL server (postmaster and children) and this load generator. What
   * bounds the ratio of the two on a machine whose cores all three share.
   */
  cpuPerRequest?: {
    single: CpuPerRequest;
    health: CpuPerRequest;
    replay?: CpuPerRequest;
    /** At 8 clients, per accepted event of the batch endpoint and per row of the bare SQL loop. */
    batchEvent?: CpuPerRequest;
    bareSqlInsert?: CpuPerRequest;
  };
  /**
   * The route's own floor at 32 clients: the same requests replayed (same key, body and
   * idempotency key: 200 with the stored answer, nothing written). The request, the JSON body, the
   * API key check and the one round trip, without the event's own locks and writes.
   */
  replay?: { requestsPerSec: number; ratioToHealth: number; eventsToReplays: number };
  /** Accepted events past a limit, plus rollup rows that disagree with their events; must be 0. */
  overshoot: number;
  /** Of 128 parallel 1-Credit events against a 10-Credit personal limit (expect 10). */
  personalAccepted: number;
  /** Of 128 parallel 1-Credit events against a 5-Credit group limit over 4 members (expect 5). */
  groupAccepted: number;
};

export type CpuPerRequest = { serverMs: number; postgresMs: number; loadGeneratorMs: number };

const LEVELS = [1, 8, 32] as const;
const BATCH_SIZE = 100;
const ACTOR = "npm run bench:ingest";

export async function benchIngest(opts: {
  base: string;
  databaseUrl: string;
  seconds: number;
  /** The server's process group, to meter its CPU (scripts/bench.mjs passes it; 0: not metered). */
  serverGroup?: number;
  log?: (line: string) => void;
}): Promise<IngestBenchResult> {
  const log = opts.log ?? (() => {});
  await assertConsoleUp(opts.base);
  const { db, client } = createDatabase(opts.databaseUrl, { max: Math.max(...LEVELS) + 2 });
  // The client shares the machine's cores with the server and the database, so it should cost as
  // little per request as the baseline's postgres.js does: node:http on kept-alive sockets costs a
  // fraction of fetch's CPU per request (measured ~0.15 vs ~0.55 ms on the 2-core box).
  const agent = new http.Agent({ keepAlive: true });
  const post = (secret: string, member: string) =>
    postUsage(agent, opts.base, secret, { member, credits: "1", idempotencyKey: randomUUID() });
  const createdOrgs: string[] = [];
  const makeOrg = async (label: string, memberCount: number, limits: OrgLimits) => {
    const org = await createBenchOrg(db, label, memberCount, limits);
    createdOrgs.push(org.orgId);
    return org;
  };
  try {
    // Plenty of headroom: every event should be accepted, so the figures measure ingestion.
    const httpOrg = await makeOrg("Bench HTTP", 64, { personalLimit: 10n ** 12n, groupLimit: 10n ** 13n, groups: 8 });
    const key = await mintApiKey(db, httpOrg.orgId, "bench", ACTOR);
    const baseline = await makeOrg("Bench SQL", 64, { personalLimit: 10n ** 12n, groupLimit: null, groups: 8 });
    const period = periodOf(new Date());
    const insertBare = (person: BenchMember) =>
      db.execute(sql`insert into usage_events (org_id, member_id, billing_group_id, period, credits)
        values (${baseline.orgId}, ${person.id}, ${person.billingGroupId}, ${period}, 100)`);
    // Warm both paths (route compilation, JIT, prepared statements) before measuring either.
    for (let i = 0; i < 20; i++) {
      await post(key.secret, httpOrg.people[i % httpOrg.people.length]!.email);
      await insertBare(baseline.people[i % baseline.people.length]!);
    }

    // CPU per request at 32 clients: the server's group, PostgreSQL's processes, this process.
    const [backend] = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    const postmaster = postmasterOf(backend!.pid);
    const metered = async (run: () => Promise<number>) => {
      const before = {
        server: groupCpuMs(opts.serverGroup ?? 0),
        pg: postgresCpuMs(postmaster),
        me: process.cpuUsage(),
      };
      const started = performance.now();
      const perSec = await run();
      const count = (perSec * (performance.now() - started)) / 1_000;
      const mine = process.cpuUsage(before.me);
      const per = (ms: number) => Math.round((ms / Math.max(1, count)) * 1_000) / 1_000;
      const cpu: CpuPerRequest = {
        serverMs: per(groupCpuMs(opts.serverGroup ?? 0) - before.server),
        postgresMs: per(postgresCpuMs(postmaster) - before.pg),
        loadGeneratorMs: per((mine.user + mine.system) / 1_000),
      };
      return { perSec, cpu };
    };
    const cpuPerRequest: Partial<
      Record<"single" | "health" | "replay" | "batchEvent" | "bareSqlInsert", CpuPerRequest>
    > = {};

    log(`Ingest benchmark: ${opts.seconds}s per level against ${opts.base}\n`);
    log("clients   HTTP accepted/s   bare SQL INSERT/s   HTTP ÷ SQL");
    const levels: IngestLevel[] = [];
    for (const clients of LEVELS) {
      // Each client meters its own members (as independent services would); groups are shared.
      const { perSec: eventsPerSec, cpu } = await metered(() =>
        drive(clients, opts.seconds, async (c, n) => {
          const person = httpOrg.people[(c + n * clients) % httpOrg.people.length]!;
          return (await post(key.secret, person.email)) === 201;
        }),
      );
      if (clients === 32) cpuPerRequest.single = cpu;
      const { perSec: bareSqlPerSec, cpu: bareCpu } = await metered(() =>
        drive(clients, opts.seconds, async (c, n) => {
          await insertBare(baseline.people[(c + n * clients) % baseline.people.length]!);
          return true;
        }),
      );
      if (clients === 8) cpuPerRequest.bareSqlInsert = bareCpu;
      const level = { eventsPerSec, bareSqlPerSec, ratio: eventsPerSec / bareSqlPerSec };
      levels.push(level);
      log(
        `${String(clients).padStart(7)}   ${eventsPerSec.toFixed(0).padStart(15)}   ${bareSqlPerSec.toFixed(0).padStart(17)}   ${level.ratio.toFixed(2).padStart(10)}`,
      );
    }

    // What Next itself allows: its cheapest route, at the same concurrency. No
    // ingestion path through one Next process can beat this; the ratio says how close it comes.
    log(
      "\nclients   GET /api/health/s   bare SQL INSERT/s   health ÷ SQL   single events ÷ health   (Next's own per-request ceiling)",
    );
    const floor: Record<string, FrameworkFloor> = {};
    for (const [index, clients] of LEVELS.entries()) {
      const { perSec: requestsPerSec, cpu } = await metered(() =>
        drive(clients, opts.seconds, async () => (await getStatus(agent, `${opts.base}/api/health`)) === 200),
      );
      if (clients === 32) cpuPerRequest.health = cpu;
      floor[`c${clients}`] = { requestsPerSec, ratioToBareSql: requestsPerSec / levels[index]!.bareSqlPerSec };
      levels[index]!.ratioToFloor = levels[index]!.eventsPerSec / requestsPerSec;
      log(
        `${String(clients).padStart(7)}   ${requestsPerSec.toFixed(0).padStart(17)}   ${levels[index]!.bareSqlPerSec.toFixed(0).padStart(17)}   ${(requestsPerSec / levels[index]!.bareSqlPerSec).toFixed(2).padStart(12)}   ${levels[index]!.ratioToFloor!.toFixed(2).padStart(22)}`,
      );
    }

    // The route's own floor: every part of a single event but the event — R30 replays of 64 events
    // recorded once, so each request parses, checks its key and makes its one round trip (the
    // idempotency record's lookup) and writes nothing.
    const recorded = Array.from({ length: 64 }, (_, i) => ({
      member: httpOrg.people[i % httpOrg.people.length]!.email,
      credits: "1",
      idempotencyKey: randomUUID(),
    }));
    for (const event of recorded) await postUsage(agent, opts.base, key.secret, event);
    const { perSec: replaysPerSec, cpu: replayCpu } = await metered(() =>
      drive(32, opts.seconds, async (c, n) => {
        const event = recorded[(c + n * 32) % recorded.length]!;
        return (await postUsage(agent, opts.base, key.secret, event)) === 200;
      }),
    );
    cpuPerRequest.replay = replayCpu;
    const single32 = levels[2]!;
    const replay = {
      requestsPerSec: replaysPerSec,
      ratioToHealth: replaysPerSec / floor.c32!.requestsPerSec,
      eventsToReplays: single32.eventsPerSec / replaysPerSec,
    };
    log(
      `\nReplays at 32 clients (the route without the event's own work): ${replaysPerSec.toFixed(0)}/s, ${replay.ratioToHealth.toFixed(2)} of health; single events ${replay.eventsToReplays.toFixed(2)} of replays`,
    );

    // The batch endpoint: the per-request cost of Next is paid once per BATCH_SIZE events.
    log(`\nclients   batch (${BATCH_SIZE}/request) accepted/s   bare SQL INSERT/s   batch ÷ SQL`);
    const batch: Record<string, IngestLevel | number> = { size: BATCH_SIZE };
    for (const [index, clients] of ([1, 8] as const).entries()) {
      const { perSec: accepted, cpu: batchCpu } = await metered(() =>
        driveCounting(clients, opts.seconds, async (c, n) => {
          const events = Array.from({ length: BATCH_SIZE }, (_, i) => ({
            member: httpOrg.people[(c + (n * BATCH_SIZE + i) * clients) % httpOrg.people.length]!.email,
            credits: "1",
            idempotencyKey: randomUUID(),
          }));
          return postBatch(opts.base, key.secret, events);
        }),
      );
      if (clients === 8) cpuPerRequest.batchEvent = batchCpu;
      const bareSqlPerSec = levels[index]!.bareSqlPerSec;
      batch[`c${clients}`] = { eventsPerSec: accepted, bareSqlPerSec, ratio: accepted / bareSqlPerSec };
      log(
        `${String(clients).padStart(7)}   ${accepted.toFixed(0).padStart(29)}   ${bareSqlPerSec.toFixed(0).padStart(17)}   ${(accepted / bareSqlPerSec).toFixed(2).padStart(11)}`,
      );
    }

    if (cpuPerRequest.single && cpuPerRequest.health) {
      const line = (label: string, c: CpuPerRequest) =>
        log(
          `  ${label.padEnd(28)} server ${c.serverMs.toFixed(3)} ms · PostgreSQL ${c.postgresMs.toFixed(3)} ms · load generator ${c.loadGeneratorMs.toFixed(3)} ms`,
        );
      log("\nCPU per request at 32 clients:");
      line("single event", cpuPerRequest.single);
      line("GET /api/health", cpuPerRequest.health);
      if (cpuPerRequest.replay) line("replayed event", cpuPerRequest.replay);
      if (cpuPerRequest.batchEvent) line("batch, per event (8 clients)", cpuPerRequest.batchEvent);
      if (cpuPerRequest.bareSqlInsert) line("bare SQL INSERT (8 clients)", cpuPerRequest.bareSqlInsert);
    }

    // Contention: one member with 10 Credits, one group with 5 Credits over 4 members, 128 at once.
    const tight = await makeOrg("Bench limits", 5, { personalLimit: 1_000n, groupLimit: null, groups: 1 });
    const tightKey = await mintApiKey(db, tight.orgId, "bench", ACTOR);
    const shared = await makeOrg("Bench group", 4, { personalLimit: 10n ** 9n, groupLimit: 500n, groups: 1 });
    const sharedKey = await mintApiKey(db, shared.orgId, "bench", ACTOR);
    const burst = async (secret: string, people: BenchMember[], requests: number) =>
      (
        await Promise.all(Array.from({ length: requests }, (_, i) => post(secret, people[i % people.length]!.email)))
      ).filter((s) => s === 201).length;
    const personalAccepted = await burst(tightKey.secret, [tight.people[0]!], 128);
    const groupAccepted = await burst(sharedKey.secret, shared.people, 128);
    const violations =
      (await rollupViolations(db, httpOrg.orgId)) +
      (await rollupViolations(db, tight.orgId)) +
      (await rollupViolations(db, shared.orgId));
    const overshoot = Math.max(0, personalAccepted - 10) + Math.max(0, groupAccepted - 5) + violations;
    log(
      `\nContention: 128 parallel 1-Credit events vs a 10-Credit personal limit → ${personalAccepted} accepted (expect 10);`,
    );
    log(`            128 parallel vs a 5-Credit group limit over 4 members → ${groupAccepted} accepted (expect 5).`);
    log(`Overshoot: ${overshoot}; rollups vs events mismatches: ${violations}.`);
    const [c1, c8, c32] = levels as [IngestLevel, IngestLevel, IngestLevel];
    return {
      c1,
      c8,
      c32,
      floor: floor as IngestBenchResult["floor"],
      batch: batch as IngestBenchResult["batch"],
      ...(cpuPerRequest.single && cpuPerRequest.health
        ? { cpuPerRequest: { ...cpuPerRequest, single: cpuPerRequest.single, health: cpuPerRequest.health } }
        : {}),
      replay,
      overshoot,
      personalAccepted,
      groupAccepted,
    };
  } finally {
    agent.destroy();
    for (const orgId of createdOrgs) await deleteBenchOrg(db, orgId, log);
    await client.end();
  }
}

/**
 * Issue 19, item 3: the load a profile of the server is taken under — single events from
 * `clients` concurrent clients for `seconds`, in a throwaway org. Returns accepted events/s.
 */
export async function singleEventLoad(opts: { base: string; databaseUrl: string; seconds: number; clients: number }) {
  const { db, client } = createDatabase(opts.databaseUrl, { max: 2 });
  const agent = new http.Agent({ keepAlive: true });
  const org = await createBenchOrg(db, "Bench profile", 64, {
    personalLimit: 10n ** 12n,
    groupLimit: 10n ** 13n,
    groups: 8,
  });
  try {
    const key = await mintApiKey(db, org.orgId, "bench", ACTOR);
    const post = (c: number, n: number) =>
      postUsage(agent, opts.base, key.secret, {
        member: org.people[(c + n * opts.clients) % org.people.length]!.email,
        credits: "1",
        idempotencyKey: randomUUID(),
      });
    for (let i = 0; i < 20; i++) await post(0, i);
    return await drive(opts.clients, opts.seconds, async (c, n) => (await post(c, n)) === 201);
  } finally {
    agent.destroy();
    await deleteBenchOrg(db, org.orgId, () => {});
    await client.end();
  }
}

/**
 * Removes a bench org and everything it recorded. Its idempotency records go first: each one
 * references an event (ON DELETE CASCADE, and no index on the event id: the product never deletes
 * events), so a cascaded delete of tens of thousands of events would look each one up among all of
 * the org's records — quadratic, minutes. Never throws: a leftover org only costs disk.
 */
export async function deleteBenchOrg(db: Database, orgId: string, log: (line: string) => void): Promise<void> {
  try {
    await db.execute(sql`delete from idempotency_records where org_id = ${orgId}`);
    await db.execute(sql`delete from organizations where id = ${orgId}`);
  } catch (error) {
    log(`could not delete bench org ${orgId}: ${String(error)}`);
  }
}

export type OrgLimits = {
  personalLimit: bigint;
  groupLimit: bigint | null;
  groups: number;
  /** R40: the groups' alert thresholds (the schema's default when unset). */
  alertThresholds?: number[];
};
export type BenchMember = { id: string; email: string; billingGroupId: string | null };

export async function createBenchOrg(db: Database, label: string, memberCount: number, limits: OrgLimits) {
  const [org] = await db
    .insert(organizations)
    .values({ name: `${label} ${new Date().toISOString()}` })
    .returning({ id: organizations.id });
  const orgId = org!.id;
  const groups = await db
    .insert(billingGroups)
    .values(
      Array.from({ length: limits.groups }, (_, i) => ({
        orgId,
        name: `Bench group ${i + 1}`,
        periodLimit: limits.groupLimit,
        ...(limits.alertThresholds ? { alertThresholds: limits.alertThresholds } : {}),
      })),
    )
    .returning({ id: billingGroups.id });
  const people: BenchMember[] = await db
    .insert(members)
    .values(
      Array.from({ length: memberCount }, (_, i) => ({
        orgId,
        name: `Bench member ${i + 1}`,
        email: `bench-${i + 1}-${randomUUID().slice(0, 6)}@bench.test`,
        personalLimit: limits.personalLimit,
        billingGroupId: groups[i % groups.length]!.id,
      })),
    )
    .returning({ id: members.id, email: members.email, billingGroupId: members.billingGroupId });
  return { orgId, people };
}

/** One POST /api/v1/usage; resolves with the status once the whole response has been read. */
function postUsage(
  agent: http.Agent,
  base: string,
  secret: string,
  event: { member: string; credits: string; idempotencyKey: string },
): Promise<number> {
  const body = JSON.stringify(event);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/api/v1/usage`,
      {
        method: "POST",
        agent,
        headers: {
          Authorization: `Bearer ${secret}`,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Runs `clients` loops for `seconds`; returns completed operations per second. */
export function drive(clients: number, seconds: number, work: (client: number, n: number) => Promise<boolean>) {
  return driveCounting(clients, seconds, async (c, n) => ((await work(c, n)) ? 1 : 0));
}

/** Like `drive`, but each call reports how many operations it completed (a batch: its accepted events). */
async function driveCounting(clients: number, seconds: number, work: (client: number, n: number) => Promise<number>) {
  const until = Date.now() + seconds * 1_000;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; Date.now() < until; n++) {
        // Not `done += await …`: that reads `done` before awaiting and loses other clients' counts.
        const completed = await work(c, n);
        done += completed;
      }
    }),
  );
  return done / ((performance.now() - started) / 1_000);
}

function getStatus(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

/**
 * One POST /api/v1/usage/batch; resolves with the number of events it accepted. Through fetch: its
 * extra client CPU per request is nothing next to 100 events.
 */
async function postBatch(
  base: string,
  secret: string,
  events: { member: string; credits: string; idempotencyKey: string }[],
): Promise<number> {
  const response = await fetch(`${base}/api/v1/usage/batch`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ events }),
  });
  if (response.status !== 200) {
    await response.arrayBuffer();
    return 0;
  }
  const parsed = (await response.json()) as { summary: { accepted: number } };
  return parsed.summary.accepted;
}

/** Limits passed, or member rollups that disagree with the sum of their events, in one org. */
export async function rollupViolations(db: Database, orgId: string) {
  const rows = await db.execute<{ n: bigint }>(sql`
    select
      (select count(*) from member_period_usage u join members m on m.org_id = u.org_id and m.id = u.member_id
        where u.org_id = ${orgId} and u.credits > coalesce(m.personal_limit, 0)) +
      (select count(*) from group_period_usage g join billing_groups b on b.org_id = g.org_id and b.id = g.billing_group_id
        where g.org_id = ${orgId} and b.period_limit is not null and g.credits > b.period_limit) +
      (select count(*) from (select member_id, period, sum(credits) s from usage_events where org_id = ${orgId} group by 1, 2) e
        full join (select * from member_period_usage where org_id = ${orgId}) u on u.member_id = e.member_id and u.period = e.period
        where e.s is distinct from u.credits) as n`);
  return Number(rows[0]!.n);
}
