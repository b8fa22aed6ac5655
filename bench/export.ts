// `npm run bench:export`: a 100,000-row bill streamed by the product's code path vs PostgreSQL's
// own `COPY (same query) TO STDOUT WITH CSV`, on the same server (see bench/lib/export.ts). Seeds a
// throwaway org, prints figures and ratios and writes bench/results/export.json. Never asserts: it
// measures.
import { writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { sql } from "drizzle-orm";
import { createDatabase } from "@/db/connection";
import { benchExport } from "./lib/export";

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PERIOD = "2026-10";
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set (run through `npm run bench:export`).");

async function seed(): Promise<string> {
  const { db, client } = createDatabase(url!, { max: 1 });
  try {
    const started = performance.now();
    const [org] = await db.execute<{ id: string }>(
      sql`insert into organizations (name, created_at) values ('Export bench', '2026-01-01') returning id`,
    );
    const orgId = org!.id;
    await db.execute(sql`
      insert into billing_groups (org_id, name)
      select ${orgId}, 'Cost center ' || g from generate_series(1, 300) g`);
    // Member i joins the (i mod 300)-th group by name; numbering the groups once keeps this linear.
    await db.execute(sql`
      insert into members (org_id, name, email, billing_group_id)
      select ${orgId}, 'Member ' || i, 'member' || i || '@example.com', g.id
      from generate_series(1, ${ROWS}) i
      join (select id, row_number() over (order by name) - 1 as n from billing_groups where org_id = ${orgId}) g on g.n = i % 300`);
    await db.execute(sql`
      insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
      select org_id, ${PERIOD}, id, billing_group_id, 1 + (abs(hashtext(id::text)) % 100000), 1 from members where org_id = ${orgId}`);
    // VACUUM as well as ANALYZE: the first scan of freshly inserted rows sets their hint bits
    // (writing pages), a cost that otherwise fell on whichever side ran first — the product.
    await db.execute(sql`vacuum (analyze) member_group_period_usage, members, billing_groups`);
    console.log(
      `seeded ${ROWS.toLocaleString("en-US")} bill rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return orgId;
  } finally {
    await client.end();
  }
}

const orgId = await seed();
const figures = await benchExport({
  databaseUrl: url,
  orgId,
  period: PERIOD,
  runs: RUNS,
  log: (line) => console.log(`  ${line}`),
});
const result = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  runs: RUNS,
  ...figures,
};
console.log(`
Export of ${figures.rows.toLocaleString("en-US")} rows (median of ${RUNS}; load average ${result.loadAverage.join(", ")})
  product stream (cursor → CSV bytes) : ${figures.ms} ms, ${(figures.bytes / 2 ** 20).toFixed(1)} MiB
  COPY … TO STDOUT WITH CSV           : ${figures.copyMs} ms
  ratio product / COPY                : ${figures.ratio}× (goal ≤ 1.5×)
  heap growth while streaming         : ${figures.heapGrowthMb} MiB (file is ${(figures.bytes / 2 ** 20).toFixed(1)} MiB)
  peak RSS                            : ${figures.peakRssMb} MiB`);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/export.json", `${JSON.stringify(result, null, 2)}\n`);
