// `npm run bench:ingest [-- --seconds 5]`: accepted usage events per second through HTTP
// (POST /api/v1/usage on the running console, loopback only) at 1, 8 and 32 concurrent clients,
// next to a bare SQL baseline — one INSERT into usage_events per event, same number of concurrent
// loops on one pool — as a ratio. Then proves zero overshoot under contention. It works in two
// throwaway organizations that it deletes at the end. Figures only; no timing assertions.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDatabase, type Database } from "../db/connection";
import { billingGroups, members, organizations } from "../db/schema";
import { periodOf } from "../lib/periods/rules";
import { assertConsoleUp, consoleBaseUrl, databaseUrl, mintApiKey, option } from "../scripts/lib/local-console";

const LEVELS = [1, 8, 32];
const seconds = option("seconds", 5, 60);
const base = consoleBaseUrl();
await assertConsoleUp(base);
const { db, client } = createDatabase(databaseUrl(), { max: Math.max(...LEVELS) + 2 });
const ACTOR = "npm run bench:ingest";
const createdOrgs: string[] = [];

async function makeOrg(label: string, memberCount: number, opts: { personalLimit: bigint; groupLimit: bigint | null; groups: number }) {
  const [org] = await db.insert(organizations).values({ name: `${label} ${new Date().toISOString()}` }).returning({ id: organizations.id });
  createdOrgs.push(org!.id);
  const groups = await db
    .insert(billingGroups)
    .values(Array.from({ length: opts.groups }, (_, i) => ({ orgId: org!.id, name: `Bench group ${i + 1}`, periodLimit: opts.groupLimit })))
    .returning({ id: billingGroups.id });
  const people = await db
    .insert(members)
    .values(
      Array.from({ length: memberCount }, (_, i) => ({
        orgId: org!.id,
        name: `Bench member ${i + 1}`,
        email: `bench-${i + 1}-${randomUUID().slice(0, 6)}@bench.test`,
        personalLimit: opts.personalLimit,
        billingGroupId: groups[i % groups.length]!.id,
      })),
    )
    .returning({ id: members.id, email: members.email, billingGroupId: members.billingGroupId });
  return { orgId: org!.id, people };
}

async function post(secret: string, member: string, credits = "1") {
  const response = await fetch(`${base}/api/v1/usage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" },
    body: JSON.stringify({ member, credits, idempotencyKey: randomUUID() }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `clients` loops for `seconds`; returns completed operations per second. */
async function drive(clients: number, work: (client: number, n: number) => Promise<boolean>) {
  const until = Date.now() + seconds * 1_000;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; Date.now() < until; n++) if (await work(c, n)) done++;
    }),
  );
  return done / ((performance.now() - started) / 1_000);
}

async function check(database: Database, orgId: string) {
  const rows = await database.execute<{ n: bigint }>(sql`
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

try {
  // Plenty of headroom: every event should be accepted, so the figures measure ingestion.
  const http = await makeOrg("Bench HTTP", 64, { personalLimit: 10n ** 12n, groupLimit: 10n ** 13n, groups: 8 });
  const key = await mintApiKey(db, http.orgId, "bench", ACTOR);
  const baseline = await makeOrg("Bench SQL", 64, { personalLimit: 10n ** 12n, groupLimit: null, groups: 8 });
  const period = periodOf(new Date());
  await post(key.secret, http.people[0]!.email); // warm the route

  console.log(`Ingest benchmark: ${seconds}s per level against ${base}\n`);
  console.log("clients   HTTP accepted/s   bare SQL INSERT/s   HTTP ÷ SQL");
  for (const clients of LEVELS) {
    // Each client meters its own members (as independent services would); groups are shared.
    const httpRate = await drive(clients, async (c, n) => {
      const person = http.people[(c + n * clients) % http.people.length]!;
      return (await post(key.secret, person.email)) === 201;
    });
    const sqlRate = await drive(clients, async (c, n) => {
      const person = baseline.people[(c + n * clients) % baseline.people.length]!;
      await db.execute(sql`insert into usage_events (org_id, member_id, billing_group_id, period, credits)
        values (${baseline.orgId}, ${person.id}, ${person.billingGroupId}, ${period}, 100)`);
      return true;
    });
    console.log(`${String(clients).padStart(7)}   ${httpRate.toFixed(0).padStart(15)}   ${sqlRate.toFixed(0).padStart(17)}   ${(httpRate / sqlRate).toFixed(2).padStart(10)}`);
  }

  // Contention: one member with 10 Credits, one group with 5 Credits over 4 members, 32 clients.
  const tight = await makeOrg("Bench limits", 5, { personalLimit: 1_000n, groupLimit: null, groups: 1 });
  const tightKey = await mintApiKey(db, tight.orgId, "bench", ACTOR);
  const shared = await makeOrg("Bench group", 4, { personalLimit: 10n ** 9n, groupLimit: 500n, groups: 1 });
  const sharedKey = await mintApiKey(db, shared.orgId, "bench", ACTOR);
  const burst = async (secret: string, people: { email: string }[], requests: number) =>
    (await Promise.all(Array.from({ length: requests }, (_, i) => post(secret, people[i % people.length]!.email)))).filter((s) => s === 201).length;
  const personalAccepted = await burst(tightKey.secret, [tight.people[0]!], 128);
  const groupAccepted = await burst(sharedKey.secret, shared.people, 128);
  const violations = (await check(db, http.orgId)) + (await check(db, tight.orgId)) + (await check(db, shared.orgId));
  const overshoot = Math.max(0, personalAccepted - 10) + Math.max(0, groupAccepted - 5) + violations;
  console.log(`\nContention: 128 parallel 1-Credit events vs a 10-Credit personal limit → ${personalAccepted} accepted (expect 10);`);
  console.log(`            128 parallel vs a 5-Credit group limit over 4 members → ${groupAccepted} accepted (expect 5).`);
  console.log(`Overshoot: ${overshoot}; rollups vs events mismatches: ${violations}.`);
  if (overshoot !== 0 || personalAccepted !== 10 || groupAccepted !== 5) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  for (const orgId of createdOrgs) {
    await db.execute(sql`delete from organizations where id = ${orgId}`).catch((error) => console.error(`could not delete bench org ${orgId}:`, error));
  }
  await client.end();
}
