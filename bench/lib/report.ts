// bench/results/latest.md: the same figures as latest.json, for people. Each figure stands next
// to its floor and goal; a goal that does not hold says so.

import type { AlertsBenchResult as Alerts } from "./alerts";
import type { ImportBenchResult as Import } from "./import";
import type { CpuPerRequest, IngestBenchResult } from "./ingest";
import type { ProfileSummary } from "./profile";
import type { StatementsBenchResult as Statements } from "./statements";

/**
 * One screen's figures (bench/run.ts fills them): the large org against its page-equal baseline
 * (`ratio`, issue 19's goal) and against the demo org (`demoRatio`, the issue-8 figure).
 */
export type PageFigure = {
  medianMs: number;
  p95Ms: number;
  bytes: number;
  ratio: number;
  baselineMedianMs: number;
  baselineP95Ms: number;
  baselineBytes: number;
  demoMedianMs: number;
  demoP95Ms: number;
  demoBytes: number;
  demoRatio: number;
};
type Level = { eventsPerSec: number; bareSqlPerSec: number; ratio: number; ratioToFloor?: number };
type Results = {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres?: string;
    loadAverageAtStart: number[];
  };
  dataset: Record<string, number>;
  pages?: Record<string, PageFigure>;
  export?: {
    rows: number;
    ms: number;
    copyMs: number;
    ratio: number;
    inProcessMs: number;
    inProcessRatio: number;
    peakRssMb: number;
    serverRssBeforeMb: number;
    rssGrowthMiB: number;
    gzipMs?: number;
    gzipBytes?: number;
    transferFloorMs?: number;
    ratioToHttpFloor?: number;
  };
  ingest?: {
    c1: Level;
    c8: Level;
    c32: Level;
    floor?: Record<"c1" | "c8" | "c32", { requestsPerSec: number; ratioToBareSql: number }>;
    batch?: { c1: Level; c8: Level; size: number };
    overshoot: number;
    alertsOnRatio?: number;
    cpuPerRequest?: IngestBenchResult["cpuPerRequest"];
    replay?: IngestBenchResult["replay"];
    profile?: ProfileSummary & { clients: number; seconds: number; eventsPerSec: number };
  };
  explain?: Record<string, { statements: number; seqScansOnUsageEvents: number; slowestMs: number }>;
  statements?: Statements;
  alerts?: Alerts;
  import?: Import;
  /** Issue 19, item 6: first-load JavaScript per route, gzip kB. */
  client?: { firstLoadKb: Record<string, number>; goalKb: number };
  /** Sections kept from an earlier run (a run of some sections keeps the others' figures). */
  earlier?: { sections: string[]; date: string; machine: Results["machine"] }[];
};

const verdict = (ok: boolean) => (ok ? "✅ met" : "❌ not met");

/** Issue 19's goals, the one place the report reads them from. */
export const GOALS = {
  pageRatio: 1.2,
  exportRatio: 1.2,
  rssGrowthMiB: 64,
  singleToFloor: 0.8,
  batchToBareSql: 2,
  alertsOnRatio: 0.9,
  importApplyRatio: 5,
  statementsRatio: 2,
  firstLoadKb: 250,
} as const;

type GoalRow = { figure: string; path: string; value: number | undefined; unit: string; goal: string; met: boolean };

/** A goal row whose figure must stay at or under `limit`; an unmeasured figure is not met. */
function atMost(figure: string, path: string, value: number | undefined, unit: string, limit: number): GoalRow {
  return { figure, path, value, unit, goal: `≤ ${limit}`, met: value !== undefined && value <= limit };
}

/** A goal row whose figure must reach at least `floor`; an unmeasured figure is not met. */
function atLeast(figure: string, path: string, value: number | undefined, unit: string, floor: number): GoalRow {
  return { figure, path, value, unit, goal: `≥ ${floor}`, met: value !== undefined && value >= floor };
}

/** Every issue-19 goal in one table: the figure, where it lives in latest.json, and whether it holds. */
function goalsTable(r: Results): string[] {
  const rows: GoalRow[] = [];
  for (const [name, p] of Object.entries(r.pages ?? {}))
    rows.push(atMost(`${name}, large ÷ baseline`, `pages.${name}.ratio`, p.ratio, "×", GOALS.pageRatio));
  const e = r.export;
  rows.push(
    atMost("export over HTTP ÷ COPY", "export.ratio", e?.ratio, "×", GOALS.exportRatio),
    atMost("export in-process ÷ COPY", "export.inProcessRatio", e?.inProcessRatio, "×", GOALS.exportRatio),
    atMost(
      "server memory growth while exporting all groups",
      "export.rssGrowthMiB",
      e?.rssGrowthMiB,
      " MiB",
      GOALS.rssGrowthMiB,
    ),
  );
  const i = r.ingest;
  const hundredths = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 100) / 100);
  rows.push(
    atLeast(
      "single events ÷ `GET /api/health`, 32 clients",
      "ingest.c32.ratioToFloor",
      hundredths(i?.c32.ratioToFloor),
      "",
      GOALS.singleToFloor,
    ),
    atLeast(
      "batch events/s ÷ bare SQL INSERT/s, 8 clients",
      "ingest.batch.c8.ratio",
      hundredths(i?.batch?.c8.ratio),
      "×",
      GOALS.batchToBareSql,
    ),
    atLeast(
      "ingestion with alerts on ÷ off, 32 clients",
      "ingest.alertsOnRatio",
      i?.alertsOnRatio,
      "",
      GOALS.alertsOnRatio,
    ),
    {
      figure: "overshoot after the contention bursts",
      path: "ingest.overshoot",
      value: i?.overshoot,
      unit: "",
      goal: "0",
      met: i?.overshoot === 0,
    },
    atMost(
      "import apply of 50,000 rows ÷ COPY FROM",
      "import.applyRatio",
      r.import?.applyRatio,
      "×",
      GOALS.importApplyRatio,
    ),
    atMost(
      "statements for the large org ÷ exporting all groups",
      "statements.ratio",
      r.statements?.ratio,
      "×",
      GOALS.statementsRatio,
    ),
  );
  for (const [route, kb] of Object.entries(r.client?.firstLoadKb ?? {}))
    rows.push(
      atMost(`first-load JS of \`${route}\`, gzip`, `client.firstLoadKb.${route}`, kb, " kB", GOALS.firstLoadKb),
    );
  const met = rows.filter((row) => row.met).length;
  return [
    "## Goals (issue 19)",
    "",
    `${met} of ${rows.length} met. Where one is not, the section "Where a goal is not met, and why" below gives the measurement that shows why.`,
    "",
    "| figure | latest.json | measured | goal | |",
    "| --- | --- | ---: | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${row.figure} | \`${row.path}\` | ${row.value === undefined ? "not measured" : `${row.value}${row.unit}`} | ${row.goal} | ${verdict(row.met)} |`,
    ),
    "",
  ];
}
// A figure an older run did not measure (a section kept from before it existed) shows as a dash.
const n = (value: number | undefined) => (value === undefined ? "—" : value.toLocaleString("en-US"));

export function renderLatestMarkdown(input: Record<string, unknown>): string {
  const r = input as unknown as Results;
  const lines: string[] = [];
  lines.push("# Benchmark results (`npm run bench`)", "");
  lines.push(`- **Date**: ${r.date}`);
  lines.push(
    `- **Machine**: ${r.machine.cpus} cores (${r.machine.cpuModel || "unknown CPU"}), ${r.machine.memoryGb} GiB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres ?? "?"} (embedded unless DATABASE_URL); load average at start ${r.machine.loadAverageAtStart.join(" / ")}`,
  );
  lines.push(
    "- **Server**: the production build as `npm start` runs it (the standalone `server.js`), one instance, on the same machine as the database and the load generator.",
  );
  lines.push(
    `- **Dataset** (\`npm run seed:large\`): ${Object.entries(r.dataset)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(" · ")}`,
  );
  for (const e of r.earlier ?? []) {
    lines.push(
      `- **Measured earlier**, kept from a previous run: ${e.sections.join(", ")} on ${e.date} (PostgreSQL ${e.machine.postgres ?? "?"}; load average at start ${e.machine.loadAverageAtStart.join(" / ")})`,
    );
  }
  lines.push("");
  lines.push(...goalsTable(r));
  if (r.pages) {
    lines.push(`## Pages: large org vs its page-equal baseline (goal ≤ ${GOALS.pageRatio}×)`, "");
    lines.push(
      "Server response time to the last byte, median of the interleaved runs. The baseline org (`npm run seed:large` seeds it beside the large one: 1/100 of its members and events) shows every measured screen the same number of rows, so large ÷ baseline measures data size alone; large ÷ demo (the demo org's pages carry fewer rows) is the issue-8 figure, kept beside it.",
      "",
    );
    lines.push(
      "| page | large median ms | baseline median ms | large ÷ baseline | goal | demo median ms | large ÷ demo | large p95 ms | bytes large · baseline · demo |",
    );
    lines.push("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
    for (const [name, p] of Object.entries(r.pages)) {
      lines.push(
        `| ${name} | ${p.medianMs} | ${p.baselineMedianMs} | ${p.ratio}× | ${verdict(p.ratio <= GOALS.pageRatio)} | ${p.demoMedianMs} | ${p.demoRatio}× | ${p.p95Ms} | ${n(p.bytes)} · ${n(p.baselineBytes)} · ${n(p.demoBytes)} |`,
      );
    }
    lines.push("");
  }
  if (r.export) {
    const e = r.export;
    lines.push(`## Export: all billing groups, current period (goal ≤ ${GOALS.exportRatio}× COPY)`, "");
    lines.push("| figure | value |", "| --- | ---: |");
    lines.push(`| rows | ${n(e.rows)} |`);
    lines.push(`| through HTTP (\`GET /api/v1/billing-groups/export\`, uncompressed like COPY's), ms | ${e.ms} |`);
    if (e.gzipMs !== undefined)
      lines.push(
        `| the same with \`Accept-Encoding: gzip\` (as a browser asks; no goal), ms · MiB on the wire | ${e.gzipMs} · ${((e.gzipBytes ?? 0) / 2 ** 20).toFixed(1)} |`,
      );
    lines.push(`| product stream in-process, ms | ${e.inProcessMs} |`);
    lines.push(`| \`COPY (same query) TO STDOUT WITH CSV\`, ms (floor) | ${e.copyMs} |`);
    lines.push(`| ratio HTTP ÷ COPY | ${e.ratio}× ${verdict(e.ratio <= GOALS.exportRatio)} |`);
    lines.push(`| ratio in-process ÷ COPY | ${e.inProcessRatio}× ${verdict(e.inProcessRatio <= GOALS.exportRatio)} |`);
    if (e.transferFloorMs !== undefined)
      lines.push(
        `| the same bytes from a bare \`node:http\` server in its own process, ms (HTTP transfer floor) | ${e.transferFloorMs} |`,
        `| ratio HTTP ÷ (COPY + transfer floor), no goal | ${e.ratioToHttpFloor}× |`,
      );
    lines.push(`| server RSS before → peak while streaming, MiB | ${e.serverRssBeforeMb} → ${e.peakRssMb} |`);
    lines.push(`| server RSS growth, MiB | ${e.rssGrowthMiB} ${verdict(e.rssGrowthMiB <= GOALS.rssGrowthMiB)} |`);
    lines.push("");
  }
  if (r.ingest) lines.push(...ingestSection(r.ingest));
  if (r.statements) lines.push(...statementsSection(r.statements));
  if (r.alerts) lines.push(...alertsSection(r.alerts));
  if (r.import) lines.push(...importSection(r.import));
  if (r.client) lines.push(...clientSection(r.client));
  lines.push(...shortfalls(r));
  if (r.explain) {
    lines.push("## Query plans (`bench/results/explain/`)", "");
    lines.push(
      "| screen | statements | slowest execution ms | seq scans of usage_events |",
      "| --- | ---: | ---: | ---: |",
    );
    for (const [name, e] of Object.entries(r.explain)) {
      lines.push(`| [${name}](explain/${name}.txt) | ${e.statements} | ${e.slowestMs} | ${e.seqScansOnUsageEvents} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

type Ingest = NonNullable<Results["ingest"]>;

/** CPU per request summed over the server, PostgreSQL and the load generator. */
const cpuTotal = (c: CpuPerRequest) => c.serverMs + c.postgresMs + c.loadGeneratorMs;

function ingestSection(i: Ingest): string[] {
  const out = [
    "## Ingestion: single events against Next's own ceiling, batches against a bare SQL INSERT loop",
    "",
    `Single events (\`POST /api/v1/usage\`, one event a request) next to \`GET /api/health\` at the same concurrency — the cheapest request this Next server answers, so the ceiling of any one-request-per-event path (goal ≥ ${GOALS.singleToFloor} of it at 32 clients) — and next to a bare single-row SQL INSERT loop on one pool (the issue-8 figure).`,
    "",
    "| clients | single events accepted/s | `GET /api/health`/s | ÷ health | bare SQL INSERT/s | ÷ bare SQL |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [label, key] of [
    ["1", "c1"],
    ["8", "c8"],
    ["32", "c32"],
  ] as const) {
    const level = i[key];
    const floor = i.floor?.[key];
    out.push(
      `| ${label} | ${n(Math.round(level.eventsPerSec))} | ${floor ? n(Math.round(floor.requestsPerSec)) : "—"} | ${level.ratioToFloor?.toFixed(2) ?? "—"} | ${n(Math.round(level.bareSqlPerSec))} | ${level.ratio.toFixed(2)}× |`,
    );
  }
  if (i.replay)
    out.push(
      "",
      `The route's own floor at 32 clients: the same requests replayed (R30: same key, body and idempotency key; 200 with the stored answer, nothing written) — the POST, its JSON body, the API key check and the one round trip, without the event's locks and writes: **${n(Math.round(i.replay.requestsPerSec))} requests/s**, ${i.replay.ratioToHealth.toFixed(2)} of \`GET /api/health\`; single events are ${i.replay.eventsToReplays.toFixed(2)} of it.`,
    );
  if (i.cpuPerRequest) {
    const { single, health, replay, batchEvent, bareSqlInsert } = i.cpuPerRequest;
    out.push(
      "",
      "CPU per request (at 32 clients unless marked), from /proc: the server's process group, the PostgreSQL server (postmaster and its children) and the load generator — the three share this machine's cores.",
      "",
      "| request | server ms | PostgreSQL ms | load generator ms | total ms |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...(
        [
          ["single event", single],
          ["`GET /api/health`", health],
          ...(replay ? ([["replayed event (the route's floor)", replay]] as const) : []),
          ...(batchEvent ? ([["batch, per accepted event (8 clients)", batchEvent]] as const) : []),
          ...(bareSqlInsert ? ([["bare SQL INSERT, per row (8 clients)", bareSqlInsert]] as const) : []),
        ] as const
      ).map(
        ([label, c]) =>
          `| ${label} | ${c.serverMs.toFixed(3)} | ${c.postgresMs.toFixed(3)} | ${c.loadGeneratorMs.toFixed(3)} | ${cpuTotal(c).toFixed(3)} |`,
      ),
    );
  }
  if (i.batch) {
    out.push(
      "",
      `The batch endpoint (\`POST /api/v1/usage/batch\`, ${i.batch.size} events a request, judged set-based in one statement) against the same bare SQL loop (goal ≥ ${GOALS.batchToBareSql}× at 8 clients):`,
      "",
      "| clients | batch accepted events/s | bare SQL INSERT/s | ratio | goal |",
      "| ---: | ---: | ---: | ---: | --- |",
    );
    for (const [label, level] of [
      ["1", i.batch.c1],
      ["8", i.batch.c8],
    ] as const) {
      out.push(
        `| ${label} | ${n(Math.round(level.eventsPerSec))} | ${n(Math.round(level.bareSqlPerSec))} | ${level.ratio.toFixed(2)}× | ${label === "8" ? verdict(level.ratio >= GOALS.batchToBareSql) : ""} |`,
      );
    }
  }
  if (i.profile) {
    const p = i.profile;
    out.push(
      "",
      `### Profile of the server under single events (\`node --cpu-prof\`, ${p.clients} clients, ${p.seconds} s, ${n(p.eventsPerSec)} events/s)`,
      "",
      `A separate pass after the figures above, so the profiler's cost is not in them. The server was busy ${n(p.activeMs)} ms and idle ${p.idleShare} % of the time; shares are of the busy time.`,
      "",
      "| self ms | share | frame (self time) |",
      "| ---: | ---: | --- |",
      ...p.self.map((f) => `| ${n(f.ms)} | ${f.share} % | \`${f.frame}\` |`),
      "",
      "| inclusive ms | share | frame (with what it called) |",
      "| ---: | ---: | --- |",
      ...p.inclusive.map((f) => `| ${n(f.ms)} | ${f.share} % | \`${f.frame}\` |`),
    );
  }
  out.push(
    "",
    `Overshoot after the contention bursts (accepted beyond a limit, or rollups ≠ events): **${i.overshoot}**.`,
    "",
  );
  return out;
}

function importSection(i: Import): string[] {
  return [
    "## Import: the large org's Members, 50,000 rows (R43, goal apply ≤ 5× COPY)",
    "",
    `A file of ${n(i.rows)} rows (${(i.bytes / 2 ** 20).toFixed(1)} MiB) that changes every row — ${n(i.changes.move)} moves and ${n(i.changes.setLimit)} limits, one audit entry each — sent as the browser sends it to the console's routes; the floor is \`COPY FROM STDIN\` of the same file into a scratch table. The org is put back afterwards by importing its downloaded assignments (timed too).`,
    "",
    "| figure | value |",
    "| --- | ---: |",
    `| preview (\`POST /api/console/members/import/preview\`), each run, ms | ${i.previewMs.join(" · ")} |`,
    `| apply (\`POST /api/console/members/import/apply\`), ms | ${i.applyMs} |`,
    `| the restoring apply (same size, back again), ms | ${i.restoreMs} |`,
    `| \`COPY FROM STDIN\` of the same rows, each run, ms (floor) | ${i.copyMs.join(" · ")} |`,
    `| ratio preview ÷ COPY | ${i.previewRatio}× |`,
    `| ratio apply ÷ COPY | ${i.applyRatio}× ${verdict(i.applyRatio <= 5)} |`,
    ...(i.writesFloorMs
      ? [
          `| the restoring apply's own writes as bare set-based SQL (members locked and updated, one audit entry per change; rolled back), each run, ms | ${i.writesFloorMs.join(" · ")} |`,
          `| ratio restoring apply ÷ those writes (no goal) | ${i.applyToWritesFloorRatio}× |`,
        ]
      : []),
    `| preview answer, MiB | ${(i.responseBytes / 2 ** 20).toFixed(1)} |`,
    `| server RSS before → peak previewing → peak applying, MiB | ${i.serverRssBeforeMb} → ${i.peakRssPreviewMb} → ${i.peakRssApplyMb} |`,
    "",
  ];
}

function alertsSection(a: Alerts): string[] {
  const runs = (values: number[]) => values.map((v) => n(Math.round(v))).join(" · ");
  return [
    "## Alerts: single-event ingestion with alerts on vs off (R40, goal on ÷ off ≥ 0.90)",
    "",
    `The product's \`recordUsage\` in-process, ${a.clients} concurrent clients, ${a.seconds} s a run, off and on alternating ${a.rounds}×; each run in a fresh org whose 8 groups have limits and thresholds low enough to be crossed. On is the current \`ledgerline_record_usage\` (the latest migration's); off is the same text with its R40 part cut out (the group re-read under the usage-row lock and the threshold loop), so both have every other feature of the release: default personal limits, daily usage, the same locks.`,
    "",
    "| | alerts off | alerts on |",
    "| --- | ---: | ---: |",
    `| accepted events/s, each run | ${runs(a.offPerSec)} | ${runs(a.onPerSec)} |`,
    `| median | ${n(Math.round(a.offMedian))} | ${n(Math.round(a.onMedian))} |`,
    `| ratio on ÷ off | | ${a.ratio.toFixed(2)} ${verdict(a.ratio >= 0.9)} |`,
    "",
    `\`threshold.crossed\` events written by the "on" runs: ${a.crossings}. Overshoot (accepted beyond a limit, or rollups ≠ events): **${a.overshoot}**.`,
    "",
  ];
}

function statementsSection(s: Statements): string[] {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
  return [
    `## Statements: a period close mailed vs the same CSVs exported (goal ≤ 2×)`,
    "",
    `The large org's close of ${s.period}: ${s.groups} billing groups, ${s.recipients} recipients, through \`runStatementTick\` and \`sendDueStatements\` on 2 concurrent senders (one worker), handed to a local SMTP sink in a process of its own (it tallies and drops each message: a mail server's work is another machine's, though here it shares the 2 cores, as PostgreSQL does); the floor is every one of those groups' CSVs through Download CSV's code path, group after group. Median of ${s.runs} runs.`,
    "",
    "| figure | value |",
    "| --- | ---: |",
    `| export of the ${s.groups} groups' CSVs, ms (floor) | ${s.exportMs} |`,
    `| close + ${s.recipients} statements handed to the sink, ms | ${s.statementsMs} |`,
    `| … until the last delivery was recorded \`sent\`, ms | ${s.recordedMs} |`,
    `| statements/s | ${n(s.messagesPerSec)} |`,
    `| time inside \`sendMail\` (both senders together), ms | ${s.smtpMs} |`,
    `| CPU time of the process, export · statements, ms | ${s.exportCpuMs} · ${s.statementsCpuMs} |`,
    `| CSV bytes exported · mailed per run (whole messages) | ${mib(s.exportBytes)} MiB · ${mib(s.mailedBytes)} MiB |`,
    `| deliveries recorded \`sent\`, each run | ${s.sentPerRun.join(", ")} |`,
    `| ratio statements ÷ export | ${s.ratio}× ${verdict(s.ratio <= 2)} |`,
    `| RSS of the sending process before → peak → after, MiB | ${s.rssStartMb} → ${s.rssPeakMb} → ${s.rssEndMb} |`,
    `| peak RSS of each run, MiB | ${s.rssPeakPerRunMb.join(", ")} |`,
    "",
  ];
}

/**
 * What a page reads that grows with the org although its rows do not (from its plans in
 * bench/results/explain/): the part of a page's time the baseline cannot have.
 */
const PAGE_REASONS: Record<string, string> = {
  "Billing Groups (current period)":
    "Beside its 25 rows the page counts every billing group's members and sums their usage for the overview (50,000 members against 500): an aggregate over the org's members, not over the page.",
  "Billing Groups (historical period)":
    "A past period shows each group's members as they were at its end (issue 18): the settings history of every member of the org is read to count them, 50,000 members against 500.",
  "Members (search)":
    "A search reads, counts and sorts every match before it can show the first 50: 2,530 members match at the large org, about 110 at the baseline (trigram index, then one statement for the count and the page).",
};

/**
 * For every goal that does not hold, the measured reason, from this run's own figures: what the
 * page sends (bytes) against the demo's, the slowest statement of its plan, Next's own ceiling.
 */
function shortfalls(r: Results): string[] {
  const out: string[] = [];
  const explainFor: Record<string, string> = {
    "Billing Groups (current period)": "billing-groups-current",
    "Billing Groups (historical period)": "billing-groups-historical",
    "Members (first page)": "members-first-page",
    "Members (search)": "members-search",
    "Members (billing group filter)": "members-filter",
    "Billing group details (largest group)": "billing-group-details",
  };
  for (const [name, p] of Object.entries(r.pages ?? {})) {
    if (p.ratio <= GOALS.pageRatio) continue;
    const plan = r.explain?.[explainFor[name] ?? ""];
    out.push(
      `- **${name}: ${p.ratio}×** the baseline (${p.medianMs} ms vs ${p.baselineMedianMs} ms; ${n(p.bytes)} vs ${n(p.baselineBytes)} bytes, the same rows). ` +
        (PAGE_REASONS[name] ?? "") +
        (plan
          ? ` Its slowest statement takes ${plan.slowestMs} ms under EXPLAIN ANALYZE (${plan.statements} statements; seq scans of usage_events: ${plan.seqScansOnUsageEvents}).`
          : ""),
    );
  }
  if (r.export && (r.export.ratio > GOALS.exportRatio || r.export.inProcessRatio > GOALS.exportRatio)) {
    out.push(
      `- **Export: ${r.export.ratio}× COPY through HTTP, ${r.export.inProcessRatio}× in-process** (medians of 7 runs each; run-to-run spread here is about ±0.1). The product reads through a cursor, 2,000 rows a fetch, so a slow download never piles the bill up in memory (R28), and asks for the next batch before writing the current one; what remains is Node decoding every row and writing its four cells (formula guard, quoting, Credits as decimal text) where COPY writes CSV inside PostgreSQL. Through HTTP the route also checks the API key and scope, and Next carries every chunk from a Web \`ReadableStream\` to the socket (${r.export.ms - r.export.inProcessMs} ms beyond the in-process stream here), while the download is read by the load generator on the same 2 cores.${r.export.transferFloorMs !== undefined ? ` Moving these same bytes over loopback HTTP at all — a bare \`node:http\` server in its own process, no database, no framework, no CSV — takes ${r.export.transferFloorMs} ms here, so through HTTP the product is ${r.export.ratioToHttpFloor}× COPY plus that floor. A CPU profile of the server over 12 downloads (this session, by hand) put 22 % of its busy time in garbage collection (rows decoded into strings and CSV text built per batch), 9 % in socket writes and 3.5 % in UTF-8 encoding.` : ""} The server's memory is sampled in separate runs: its 10 ms /proc probe, on those same cores, had added about 70 ms to every timed download (1.66× → 1.3× on one run when it was moved out).`,
    );
  }
  const st = r.statements;
  if (st && st.ratio > 2) {
    out.push(
      `- **Statements: ${st.ratio}×** (${st.statementsMs} ms vs ${st.exportMs} ms). The run keeps this process busy ${st.statementsCpuMs} ms of its ${st.statementsMs} ms (the export: ${st.exportCpuMs} of ${st.exportMs}), on a 2-core machine it shares with PostgreSQL, so the second sender overlaps waits but finds little idle CPU. Beside the very same CSV reads, every group costs a claim, its figures and one transaction per delivery, each recorded \`sent\` right after its hand-off (R39: a crash resends at most the message in flight); and every message is composed as MIME with its CSV in base64 and handed over SMTP (${st.smtpMs} ms inside \`sendMail\`, both senders together).`,
    );
  }
  const im = r.import;
  if (im && im.applyRatio > 5) {
    out.push(
      `- **Import apply: ${im.applyRatio}× COPY** (${im.applyMs} ms vs ${im.copyMs.join("/")} ms). COPY writes ${n(im.rows)} narrow rows into an unindexed scratch table; Apply writes ${n(im.changes.move + im.changes.setLimit)} audit entries (one per change, R36 and R43 — each with six index entries and two foreign-key checks) and ${n(im.changes.move)} new member row versions (eight indexes, two of them trigram GIN), after locking every member of the file in id order (R9, R12, R38). Those writes are the feature; the preview, which reads the same state set-based and writes nothing, is ${im.previewRatio}×.${im.writesFloorMs ? ` The same writes as bare set-based SQL, without HTTP, parsing, diffing or checks, take ${im.writesFloorMs.join("/")} ms: the restoring apply (${im.restoreMs} ms) is ${im.applyToWritesFloorRatio}× that, so the remainder against COPY is the writes themselves, which no import that audits each change (R36) can skip.` : ""}`,
    );
  }
  const i = r.ingest;
  const single = i?.c32.ratioToFloor;
  if (i && single !== undefined && single < GOALS.singleToFloor) {
    const cpu = i.cpuPerRequest;
    const health = i.floor?.c32.requestsPerSec ?? 0;
    out.push(
      `- **Single events: ${single.toFixed(2)} of \`GET /api/health\` at 32 clients** (${n(Math.round(i.c32.eventsPerSec))} vs ${n(Math.round(health))} requests/s). Each event is one statement, one round trip and one commit.` +
        (i.replay
          ? ` The route's own floor on the same run — the same requests replayed, so the POST, its body, the key check and the one round trip without the event's locks and writes — is ${n(Math.round(i.replay.requestsPerSec))}/s, already ${i.replay.ratioToHealth.toFixed(2)} of health; single events are ${i.replay.eventsToReplays.toFixed(2)} of it.`
          : "") +
        (cpu
          ? ` On this machine the server, PostgreSQL and the load generator share ${r.machine.cpus} cores: an event costs ${cpuTotal(cpu.single).toFixed(2)} ms of CPU in all (server ${cpu.single.serverMs.toFixed(2)}, PostgreSQL ${cpu.single.postgresMs.toFixed(2)}, load generator ${cpu.single.loadGeneratorMs.toFixed(2)}), a health check ${cpuTotal(cpu.health).toFixed(2)} ms (PostgreSQL ${cpu.health.postgresMs.toFixed(2)}). With every core busy, no event path can pass ${r.machine.cpus} × 1,000 ÷ ${cpuTotal(cpu.single).toFixed(2)} ≈ ${n(Math.round((r.machine.cpus * 1_000) / cpuTotal(cpu.single)))} events/s here, ${((r.machine.cpus * 1_000) / cpuTotal(cpu.single) / Math.max(1, health)).toFixed(2)} of the health figure; the database's share alone (judging both limits, the member lock, four rollups, the event and its idempotency record, and the commit) is work a health check never does. Where PostgreSQL has cores of its own, the ceiling is the server's: ${cpu.single.serverMs.toFixed(2)} ms per event against ${cpu.health.serverMs.toFixed(2)} ms per health check.`
          : "") +
        (i.profile
          ? ` The profile below (the server alone) puts ${i.profile.self.find((f) => f.frame.startsWith("writeBuffer"))?.share ?? 0} % of its busy time in \`writeBuffer\` — postgres.js writing each statement to its socket, a loopback syscall that also wakes the database backend — and much of the rest in Next turning a POST into a Web \`Request\` (\`makeTransferable\`, \`createAbortSignal\`, body streams), which a GET such as the health check never pays.`
          : "") +
        " More single-event throughput comes from more instances (stateless, docs/scaling.md); high-volume meters should use the batch endpoint (above its goal).",
    );
  }
  const batch = i?.batch?.c8.ratio;
  if (i?.batch && batch !== undefined && batch < GOALS.batchToBareSql) {
    out.push(
      `- **Batch: ${batch.toFixed(2)}× the bare SQL loop at 8 clients** (${n(Math.round(i.batch.c8.eventsPerSec))} vs ${n(Math.round(i.batch.c8.bareSqlPerSec))} events/s). Each batch locks its members, groups and group usage rows, judges every event against both limits and the alert thresholds, and writes the event, three rollups and an idempotency record per accepted event; the floor writes one narrow row per statement.` +
        (i.cpuPerRequest?.batchEvent && i.cpuPerRequest.bareSqlInsert
          ? ((batchCpu, bareCpu) =>
              ` On this run an accepted batch event cost ${batchCpu.toFixed(3)} ms of CPU in all (server ${i.cpuPerRequest.batchEvent.serverMs.toFixed(3)}, PostgreSQL ${i.cpuPerRequest.batchEvent.postgresMs.toFixed(3)}), a bare row ${bareCpu.toFixed(3)} ms (PostgreSQL ${i.cpuPerRequest.bareSqlInsert.postgresMs.toFixed(3)}): with both cores busy the batch cannot pass ${r.machine.cpus} × 1,000 ÷ ${batchCpu.toFixed(3)} ≈ ${n(Math.round((r.machine.cpus * 1_000) / batchCpu))} events/s, ${((r.machine.cpus * 1_000) / batchCpu / i.batch!.c8.bareSqlPerSec).toFixed(2)}× the bare loop's rate here, and the batch's database share per event (five rows, their index entries and key checks, judged in order) is already below the bare row's single one.`)(
              cpuTotal(i.cpuPerRequest.batchEvent),
              cpuTotal(i.cpuPerRequest.bareSqlInsert),
            )
          : ""),
    );
  }
  const alerts = i?.alertsOnRatio;
  if (alerts !== undefined && alerts < GOALS.alertsOnRatio) {
    out.push(
      `- **Alerts on ÷ off: ${alerts.toFixed(2)}**` +
        (r.alerts
          ? ` (medians of ${r.alerts.rounds} alternating runs each; the runs themselves spread ${Math.round(Math.min(...r.alerts.offPerSec))}–${Math.round(Math.max(...r.alerts.offPerSec))} events/s off and ${Math.round(Math.min(...r.alerts.onPerSec))}–${Math.round(Math.max(...r.alerts.onPerSec))} on, wider than the gap between the medians). An "on" event re-reads its group under the usage-row lock (so a limit or threshold change committed while it waited is seen), loops over the thresholds, and, when it crosses one, writes the \`threshold.crossed\` event and wakes the dispatcher after commit (${r.alerts.crossings} crossings in the "on" runs). "Off" is the same function without that part.`
          : "."),
    );
  }
  return out.length ? ["## Where a goal is not met, and why (measured)", "", ...out, ""] : [];
}

/** First-load JavaScript per route of the production build (issue 19, item 6). */
function clientSection(client: NonNullable<Results["client"]>): string[] {
  const lines = [`## Client weight: first-load JavaScript per route (goal ≤ ${client.goalKb} kB gzip)`, ""];
  lines.push(
    "The runtime every page loads (`rootMainFiles`) plus the route's layouts, boundaries and page",
    "(`entryJSFiles` of its client reference manifest), gzip-compressed; chunks loaded later on demand",
    "(the charts' drawings) are not first-load.",
    "",
    "| route | first-load kB gzip | goal |",
    "| --- | ---: | --- |",
  );
  for (const [route, kb] of Object.entries(client.firstLoadKb))
    lines.push(`| \`${route}\` | ${kb} | ${verdict(kb <= client.goalKb)} |`);
  lines.push("");
  return lines;
}
