// The export benchmark as a function, so the CLI (bench/export.ts) and other orchestrators measure
// the same thing: the product's CSV stream, in-process, vs PostgreSQL's own
// `COPY (same query) TO STDOUT WITH CSV` on the same server, for an org and period that already
// hold usage. It seeds nothing, never exits the process and never asserts: it measures.
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { createDatabase } from "../../db/connection";
import {
  billCsvChunks,
  billCsvQuery,
  billCsvStream,
  getBillPreview,
  resolveBillScope,
  type BillScope,
} from "../../lib/export/queries";

export type BenchExportOptions = {
  databaseUrl: string;
  orgId: string;
  period: string;
  runs: number;
  log?: (line: string) => void;
};
export type BenchExportResult = {
  rows: number;
  bytes: number;
  ms: number;
  copyMs: number;
  ratio: number;
  heapGrowthMb: number;
  peakRssMb: number;
};

const MB = 2 ** 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The COPY baseline: the product's own CSV query — same rows, order and scope — with PostgreSQL
 * writing the Credits as decimal text (`trim_scale(hundredths × 0.01)`, the file's R25 format), so
 * COPY produces the same content the product streams.
 */
function copyQuery(params: { orgId: string; period: string; scope: BillScope }): string {
  const query = billCsvQuery(
    params,
    sql`coalesce(bg.name, 'Unassigned'), m.name, m.email, trim_scale(u.credits * 0.01)::text`,
  );
  // COPY takes no bind parameters, so the org and period are inlined as escaped literals.
  return new PgDialect().sqlToQuery(sql`${query}`.inlineParams()).sql;
}

export async function benchExport(opts: BenchExportOptions): Promise<BenchExportResult> {
  if (!Number.isInteger(opts.runs) || opts.runs < 1)
    throw new Error(`benchExport: runs must be a positive integer, got ${opts.runs}.`);
  const log = opts.log ?? (() => {});
  const { db, client } = createDatabase(opts.databaseUrl, { max: 2 });
  // COPY gets its own connection so its stream never shares a pool slot with the product's cursor.
  const copyClient = createDatabase(opts.databaseUrl, { max: 1 }).client;
  try {
    const scope = await resolveBillScope(db, { orgId: opts.orgId, billingGroup: "all" });
    const { rowCount } = await getBillPreview(db, { orgId: opts.orgId, period: opts.period, scope, limit: 1 });

    const product: { ms: number; bytes: number; heapGrowthMb: number; peakRssMb: number }[] = [];
    const copy: { ms: number; bytes: number }[] = [];
    // All product runs first, then COPY: a postgres.js COPY stream left the next cursor waiting when
    // the two were interleaved on this machine. Each side starts with one untimed run (Node compiles
    // the hot code, PostgreSQL warms its cache), so the medians compare steady states.
    await timeProduct(client, { orgId: opts.orgId, period: opts.period, scope });
    for (let run = 0; run < opts.runs; run++) {
      product.push(await timeProduct(client, { orgId: opts.orgId, period: opts.period, scope }));
      log(`product run ${run + 1}/${opts.runs}: ${Math.round(product.at(-1)!.ms)} ms`);
    }
    const copySql = copyQuery({ orgId: opts.orgId, period: opts.period, scope });
    await timeCopy(copyClient, copySql);
    for (let run = 0; run < opts.runs; run++) {
      copy.push(await timeCopy(copyClient, copySql));
      log(`COPY run ${run + 1}/${opts.runs}: ${Math.round(copy.at(-1)!.ms)} ms`);
    }
    const ms = median(product.map((r) => r.ms));
    const copyMs = median(copy.map((r) => r.ms));
    return {
      rows: rowCount,
      bytes: product[0]!.bytes,
      ms: Math.round(ms),
      copyMs: Math.round(copyMs),
      ratio: Number((ms / copyMs).toFixed(2)),
      heapGrowthMb: Number(Math.max(...product.map((r) => r.heapGrowthMb)).toFixed(1)),
      peakRssMb: Number(Math.max(...product.map((r) => r.peakRssMb)).toFixed(1)),
    };
  } finally {
    await client.end();
    await copyClient.end();
  }
}

/**
 * The bytes exactly as the route serves them (chunks → encoded stream), read as fast as they come.
 * Memory is sampled at every chunk: growth over the starting heap shows whether the file piles up.
 */
async function timeProduct(
  client: ReturnType<typeof createDatabase>["client"],
  params: { orgId: string; period: string; scope: BillScope },
) {
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  let bytes = 0;
  const started = performance.now();
  const reader = billCsvStream(billCsvChunks(client, params)).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }
  return {
    ms: performance.now() - started,
    bytes,
    heapGrowthMb: (peakHeap - baseline.heapUsed) / MB,
    peakRssMb: peakRss / MB,
  };
}

async function timeCopy(copyClient: ReturnType<typeof createDatabase>["client"], query: string) {
  const started = performance.now();
  const stream = await copyClient.unsafe(`copy (${query}) to stdout with csv header`).readable();
  // Flowing mode, not `for await`: a paused COPY stream sometimes never resumed its socket here
  // (postgres.js pauses the socket when the stream's buffer fills; porsager/postgres#499, #917),
  // and counting bytes needs no backpressure anyway.
  const bytes = await new Promise<number>((resolve, reject) => {
    let total = 0;
    stream.on("data", (chunk: Buffer) => (total += chunk.length));
    stream.once("end", () => resolve(total));
    stream.once("error", reject);
  });
  return { ms: performance.now() - started, bytes };
}
