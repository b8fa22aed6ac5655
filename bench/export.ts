// `npm run bench:export`: a 100,000-row bill streamed by the product's code path vs PostgreSQL's
// own `COPY (same query) TO STDOUT WITH CSV`, on the same server. Prints figures and ratios and
// writes bench/results/export.json. Never asserts: it measures.
import { writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { sql } from "drizzle-orm";
import { createDatabase } from "@/db/connection";
import { billCsvChunks, resolveBillScope } from "@/lib/export/queries";

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PERIOD = "2026-10";
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set (run through `npm run bench:export`).");

const { db, client } = createDatabase(url, { max: 4 });
// COPY gets its own connection so its stream never shares a pool slot with the product's cursor.
const copyClient = createDatabase(url, { max: 1 }).client;

async function seed(): Promise<string> {
  const started = performance.now();
  const [org] = await db.execute<{ id: string }>(sql`insert into organizations (name, created_at) values ('Export bench', '2026-01-01') returning id`);
  const orgId = org!.id;
  await db.execute(sql`
    insert into billing_groups (org_id, name)
    select ${orgId}, 'Cost center ' || g from generate_series(1, 300) g`);
  await db.execute(sql`
    insert into members (org_id, name, email, billing_group_id)
    select ${orgId}, 'Member ' || i, 'member' || i || '@example.com',
           (select id from billing_groups where org_id = ${orgId} order by name offset (i % 300) limit 1)
    from generate_series(1, ${ROWS}) i`);
  await db.execute(sql`
    insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
    select org_id, ${PERIOD}, id, billing_group_id, 1 + (abs(hashtext(id::text)) % 100000), 1 from members where org_id = ${orgId}`);
  await db.execute(sql`analyze`);
  console.log(`seeded ${ROWS.toLocaleString("en-US")} bill rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return orgId;
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeProduct(orgId: string) {
  const scope = await resolveBillScope(db, { orgId, billingGroup: "all" });
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  let bytes = 0;
  const started = performance.now();
  for await (const chunk of billCsvChunks(client, { orgId, period: PERIOD, scope })) {
    bytes += Buffer.byteLength(chunk);
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }
  return { ms: performance.now() - started, bytes, heapGrowthMb: (peakHeap - baseline.heapUsed) / 2 ** 20, peakRssMb: peakRss / 2 ** 20 };
}

async function timeCopy(orgId: string) {
  // The same rows, order and columns, formatted by PostgreSQL itself.
  const query = `
    select coalesce(bg.name, 'Unassigned'), m.name, m.email, (u.credits / 100.0)::text
    from member_group_period_usage u
    join members m on m.org_id = u.org_id and m.id = u.member_id
    left join billing_groups bg on bg.org_id = u.org_id and bg.id = u.billing_group_id
    where u.org_id = '${orgId}' and u.period = '${PERIOD}' and u.credits > 0
    order by (u.billing_group_id is null), lower(bg.name) collate "C", u.billing_group_id,
             lower(m.name) collate "C", lower(m.email) collate "C", m.id`;
  const started = performance.now();
  const stream = await copyClient.unsafe(`copy (${query}) to stdout with csv header`).readable();
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { ms: performance.now() - started, bytes };
}

const orgId = await seed();
const product: Awaited<ReturnType<typeof timeProduct>>[] = [];
const copy: Awaited<ReturnType<typeof timeCopy>>[] = [];
// All product runs first, then COPY: a postgres.js COPY stream left the next cursor waiting when
// the two were interleaved on this machine.
for (let run = 0; run < RUNS; run++) product.push(await timeProduct(orgId));
for (let run = 0; run < RUNS; run++) copy.push(await timeCopy(orgId));
const result = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  rows: ROWS,
  ms: Math.round(median(product.map((r) => r.ms))),
  copyMs: Math.round(median(copy.map((r) => r.ms))),
  ratio: Number((median(product.map((r) => r.ms)) / median(copy.map((r) => r.ms))).toFixed(2)),
  bytes: product[0]!.bytes,
  copyBytes: copy[0]!.bytes,
  heapGrowthMb: Number(Math.max(...product.map((r) => r.heapGrowthMb)).toFixed(1)),
  peakRssMb: Number(Math.max(...product.map((r) => r.peakRssMb)).toFixed(1)),
};
console.log(`
Export of ${ROWS.toLocaleString("en-US")} rows (median of ${RUNS})
  product stream (papaparse, cursor) : ${result.ms} ms, ${(result.bytes / 2 ** 20).toFixed(1)} MiB
  COPY … TO STDOUT WITH CSV          : ${result.copyMs} ms, ${(result.copyBytes / 2 ** 20).toFixed(1)} MiB
  ratio product / COPY               : ${result.ratio}× (goal ≤ 1.5×)
  heap growth while streaming        : ${result.heapGrowthMb} MiB (file is ${(result.bytes / 2 ** 20).toFixed(1)} MiB)
  peak RSS                           : ${result.peakRssMb} MiB`);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/export.json", JSON.stringify(result, null, 2) + "\n");
await client.end();
await copyClient.end();
