// `npm run simulate [-- --seconds 60 --rate 20]`: realistic metering traffic against the running
// console (loopback only), so a newcomer sees Credits, limits and rejections move on screen.
// It creates an API key for the demo organization, sends usage for its members for a bounded
// time (at most 10 minutes), prints what happened and revokes its key.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDatabase } from "../db/connection";
import { assertConsoleUp, consoleBaseUrl, databaseUrl, mintApiKey, option, revokeMintedKey } from "./lib/local-console";

const seconds = option("seconds", 30, 600);
const rate = option("rate", 10, 200);
const base = consoleBaseUrl();
await assertConsoleUp(base);

const { db, client } = createDatabase(databaseUrl(), { max: 2 });
const ACTOR = "npm run simulate";
const KEY_NAME = `Simulator ${new Date().toISOString().slice(0, 16)}`;
try {
  const demo = await db.execute<{ org_id: string }>(sql`
    select coalesce((select org_id from members where lower(email) = 'admin@example.com' limit 1),
                    (select id from organizations order by created_at limit 1)) as org_id`);
  const orgId = demo[0]?.org_id;
  if (!orgId) throw new Error("No organization to simulate: seed the demo first (npm run db:seed).");
  const people = await db.execute<{ id: string; email: string }>(sql`
    select id, email from members where org_id = ${orgId} and deactivated_at is null order by email`);
  if (people.length === 0) throw new Error("The demo organization has no active members.");
  // A few heavy users and a long tail, like real consumption.
  const weights = people.map((_, i) => (i % 9 === 0 ? 12 : i % 3 === 0 ? 4 : 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickMember = () => {
    let roll = Math.random() * totalWeight;
    for (const [i, w] of weights.entries()) {
      roll -= w;
      if (roll < 0) return people[i]!;
    }
    return people[0]!;
  };
  const key = await mintApiKey(db, orgId, KEY_NAME, ACTOR);
  console.log(
    `Simulating ${rate} events/s for ${seconds}s against ${base} with key ll_${key.prefix}_… (${people.length} members).`,
  );

  const counts = new Map<string, number>();
  const recentKeys: { member: string; credits: string; idempotencyKey: string }[] = [];
  const deadline = Date.now() + seconds * 1_000;
  let nextReport = Date.now() + 5_000;
  const inFlight = new Set<Promise<void>>();

  async function sendOne() {
    // ~3% of requests are client retries of an earlier event: they must replay, not double-count.
    const replay = recentKeys.length > 0 && Math.random() < 0.03;
    const event = replay
      ? recentKeys[Math.floor(Math.random() * recentKeys.length)]!
      : {
          member: pickMember().email,
          credits: (Math.random() < 0.8 ? Math.random() * 3 : Math.random() * 40).toFixed(2).replace(/^0\.00$/, "0.01"),
          idempotencyKey: randomUUID(),
        };
    let label: string;
    try {
      const response = await fetch(`${base}/api/v1/usage`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key.secret}`, "Content-Type": "application/json" },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      label =
        response.status === 201
          ? "accepted"
          : response.status === 200
            ? "replayed"
            : `${response.status} ${body.error ?? ""}`.trim();
      if (response.status === 201) {
        recentKeys.push(event);
        if (recentKeys.length > 200) recentKeys.shift();
      }
    } catch (error) {
      label = `network error (${error instanceof Error ? error.name : "unknown"})`;
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }

  const interval = 1_000 / rate;
  while (Date.now() < deadline) {
    if (inFlight.size < 32) {
      const p: Promise<void> = sendOne().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (Date.now() >= nextReport) {
      console.log([...counts].map(([k, v]) => `${k}: ${v}`).join(" · "));
      nextReport += 5_000;
    }
    await new Promise((resolve) => setTimeout(resolve, interval * (0.5 + Math.random())));
  }
  await Promise.all(inFlight);
  console.log("\nDone.");
  for (const [label, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${label.padEnd(36)} ${n}`);
  await revokeMintedKey(db, orgId, key, KEY_NAME, ACTOR);
  console.log(`Key ll_${key.prefix}_… revoked. Open the console to see the figures.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await client.end();
}
