// `npm run bench -- --only import` (R43, issue 16): the Members import of the large org through the
// console's own routes, as the browser sends it — a 50,000-row file previewed and applied — against
// PostgreSQL's `COPY FROM` of the same rows into a scratch table, with the server's memory sampled.
// The file changes every row (each member moves to another billing group, and each member with a
// limit gets another one: the heaviest file there is). Afterwards the org's current assignments, downloaded first, are
// imported back, and the audit entries of both imports are deleted (as the owner), so the dataset
// is as the seed left it.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/connection";
import type postgres from "postgres";
import { formatCredits, parseCredits } from "../../lib/credits/rules";
import { periodOf } from "../../lib/periods/rules";
import { median, type Session } from "./http";
import { groupRss } from "./rss";

export type ImportBenchResult = {
  rows: number;
  bytes: number;
  changes: { move: number; setLimit: number };
  previewMs: number[];
  applyMs: number;
  restoreMs: number;
  copyMs: number[];
  /** The apply's own writes as bare set-based SQL, rolled back (writesFloor). */
  writesFloorMs: number[];
  previewRatio: number;
  applyRatio: number;
  /** apply ÷ the writes floor (no goal): what the product adds to the writes themselves. */
  applyToWritesFloorRatio: number;
  responseBytes: number;
  serverRssBeforeMb: number;
  peakRssPreviewMb: number;
  peakRssApplyMb: number;
};

type Log = (line: string) => void;

const HEADER = "Email,Billing Group,Personal Usage Limit";
const PREVIEW_RUNS = 3;
const COPY_RUNS = 3;

/** Runs `work` while sampling the server's process-group RSS every 10 ms; returns its time and the peak. */
async function sampled<T>(serverGroup: number, work: () => Promise<T>) {
  let peak = groupRss(serverGroup);
  const sampler = setInterval(() => (peak = Math.max(peak, groupRss(serverGroup))), 10);
  const started = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - started, peakMb: Math.max(peak, groupRss(serverGroup)) / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function post(base: string, session: Session, path: string, csv: string, query: Record<string, string>) {
  const response = await fetch(`${base}/api/console/members/${path}?${new URLSearchParams(query).toString()}`, {
    method: "POST",
    headers: { Cookie: session.cookie, Origin: base, "Content-Type": "text/csv" },
    body: csv,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { body: JSON.parse(text) as Record<string, unknown>, bytes: text.length };
}

/** Every downloaded row moved to the next billing group (by name) and given another limit. */
function changedFile(download: string, groups: string[]): string {
  const lines = download
    .replace(/^\ufeff/, "")
    .split("\r\n")
    .filter(Boolean);
  const out = [HEADER];
  for (const line of lines.slice(1)) {
    // Emails and names of the large org hold no commas or quotes; the download's cells are plain.
    const [email, group, limit] = line.split(",") as [string, string, string];
    const next = groups[(groups.indexOf(group) + 1) % groups.length]!;
    // An empty limit stays empty (unchanged): an import cannot clear a limit, so no restore could undo it.
    out.push(`${email},${next},${limit === "" ? "" : formatCredits(parseCredits(limit)! + 100n)}`);
  }
  return `${out.join("\r\n")}\r\n`;
}

async function copyFrom(client: postgres.Sql, csv: string): Promise<number> {
  const connection = await client.reserve();
  try {
    await connection`create temp table if not exists import_bench_scratch (email text, billing_group text, personal_usage_limit text)`;
    await connection`truncate import_bench_scratch`;
    const started = performance.now();
    const writable = await connection`copy import_bench_scratch from stdin with (format csv, header true)`.writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("finish", resolve);
      writable.on("error", reject);
      writable.end(csv);
    });
    const ms = performance.now() - started;
    await connection`drop table import_bench_scratch`;
    return ms;
  } finally {
    connection.release();
  }
}

/**
 * What Apply cannot go below while it writes what R36 and R43 ask: the same file copied into a
 * scratch table, the same members locked in id order, the same UPDATE of members (with the same
 * triggers: settings history, member counts) and the same two audit INSERTs — one entry per
 * change — as bare set-based SQL on the owner's connection, in one transaction rolled back.
 */
async function writesFloor(client: postgres.Sql, orgId: string, csv: string): Promise<number> {
  const connection = await client.reserve();
  try {
    const started = performance.now();
    await connection`begin`;
    await connection`create temp table import_floor (email text, billing_group text, personal_usage_limit text) on commit drop`;
    const writable = await connection`copy import_floor from stdin with (format csv, header true)`.writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("finish", resolve);
      writable.on("error", reject);
      writable.end(csv);
    });
    await connection`
      create temp table import_floor_changes on commit drop as
      select m.id, m.name || ' <' || m.email || '>' as label,
        m.billing_group_id as from_id, coalesce(fg.name, 'Unassigned') as from_name,
        tg.id as to_id, coalesce(tg.name, 'Unassigned') as to_name, m.personal_limit as limit_from,
        case when f.personal_usage_limit = '' then null
          else round(f.personal_usage_limit::numeric * 100)::bigint end as limit_to
      from import_floor f
      join members m on m.org_id = ${orgId} and lower(m.email) = lower(f.email)
      left join billing_groups fg on fg.org_id = m.org_id and fg.id = m.billing_group_id
      left join billing_groups tg on tg.org_id = m.org_id and tg.name = f.billing_group and tg.deleted_at is null`;
    await connection`
      select 1 from members where org_id = ${orgId} and id in (select id from import_floor_changes)
      order by id for update`;
    await connection`
      update members m set billing_group_id = c.to_id, personal_limit = coalesce(c.limit_to, m.personal_limit),
        updated_at = now()
      from import_floor_changes c where m.org_id = ${orgId} and m.id = c.id`;
    const actor = connection`(select id from members where org_id = ${orgId} and role = 'admin' order by id limit 1)`;
    await connection`
      insert into audit_log (org_id, actor_id, actor_label, action, target_type, target_id, target_label, before, after)
      select ${orgId}, ${actor}, 'npm run bench', 'member.billing_group_assigned', 'member', c.id::text, c.label,
        jsonb_build_object('billingGroupId', c.from_id, 'billingGroup', c.from_name),
        jsonb_build_object('billingGroupId', c.to_id, 'billingGroup', c.to_name, 'importId', gen_random_uuid()::text)
      from import_floor_changes c where c.to_id is distinct from c.from_id`;
    await connection`
      insert into audit_log (org_id, actor_id, actor_label, action, target_type, target_id, target_label, before, after)
      select ${orgId}, ${actor}, 'npm run bench', 'member.personal_limit_set', 'member', c.id::text, c.label,
        jsonb_build_object('personalLimit', c.limit_from::text), jsonb_build_object('personalLimit', c.limit_to::text)
      from import_floor_changes c where c.limit_to is not null and c.limit_to is distinct from c.limit_from`;
    const ms = performance.now() - started;
    await connection`rollback`;
    return ms;
  } catch (error) {
    await connection`rollback`.catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

export async function benchImport(params: {
  base: string;
  session: Session;
  admin: { db: Database; client: postgres.Sql };
  orgId: string;
  serverGroup: number;
  log: Log;
}): Promise<ImportBenchResult> {
  const { base, session, admin, orgId, serverGroup, log } = params;
  const period = periodOf(new Date());
  const downloaded = await fetch(`${base}/api/console/members/assignments`, { headers: { Cookie: session.cookie } });
  if (downloaded.status !== 200) throw new Error(`GET assignments: HTTP ${downloaded.status}`);
  const original = await downloaded.text();
  const groups = (
    await admin.db.execute<{ name: string }>(
      sql`select name from billing_groups where org_id = ${orgId} and deleted_at is null order by name`,
    )
  ).map((g) => g.name);
  const file = changedFile(original, ["Unassigned", ...groups]);
  const rows = file.split("\r\n").length - 2;
  const serverRssBeforeMb = groupRss(serverGroup) / 2 ** 20;
  const importIds: string[] = [];
  let restored = false;

  try {
    const previews: { ms: number; peakMb: number; bytes: number; fingerprint: string; totals: unknown }[] = [];
    for (let run = 0; run < PREVIEW_RUNS; run++) {
      const { value, ms, peakMb } = await sampled(serverGroup, () =>
        post(base, session, "import/preview", file, { period }),
      );
      previews.push({
        ms,
        peakMb,
        bytes: value.bytes,
        fingerprint: value.body.fingerprint as string,
        totals: value.body.totals,
      });
    }
    const totals = previews[0]!.totals as { move: number; setLimit: number; error: number };
    if (totals.error > 0) throw new Error(`the bench file has ${totals.error} rows in error`);
    const applied = await sampled(serverGroup, () =>
      post(base, session, "import/apply", file, { period, fingerprint: previews.at(-1)!.fingerprint }),
    );
    importIds.push(applied.value.body.importId as string);

    const copyMs: number[] = [];
    for (let run = 0; run < COPY_RUNS; run++) copyMs.push(await copyFrom(admin.client, file));
    // The org now holds the file's assignments: the floor writes the way back (the original file,
    // the same size), as the restoring apply below does.
    const writesFloorMs: number[] = [];
    for (let run = 0; run < COPY_RUNS; run++) writesFloorMs.push(await writesFloor(admin.client, orgId, original));

    // Back to the seed's assignments (this apply is timed too: the same size, the other way).
    const back = await post(base, session, "import/preview", original, { period });
    const restore = await sampled(serverGroup, () =>
      post(base, session, "import/apply", original, { period, fingerprint: back.body.fingerprint as string }),
    );
    importIds.push(restore.value.body.importId as string);
    restored = true;

    const previewMs = median(previews.map((p) => p.ms));
    const copy = median(copyMs);
    const result: ImportBenchResult = {
      rows,
      bytes: Buffer.byteLength(file),
      changes: { move: totals.move, setLimit: totals.setLimit },
      previewMs: previews.map((p) => Math.round(p.ms)),
      applyMs: Math.round(applied.ms),
      restoreMs: Math.round(restore.ms),
      copyMs: copyMs.map((ms) => Math.round(ms * 10) / 10),
      writesFloorMs: writesFloorMs.map((ms) => Math.round(ms)),
      previewRatio: Math.round((previewMs / copy) * 10) / 10,
      applyRatio: Math.round((applied.ms / copy) * 10) / 10,
      applyToWritesFloorRatio: Math.round((restore.ms / median(writesFloorMs)) * 100) / 100,
      responseBytes: previews[0]!.bytes,
      serverRssBeforeMb: Math.round(serverRssBeforeMb),
      peakRssPreviewMb: Math.round(Math.max(...previews.map((p) => p.peakMb))),
      peakRssApplyMb: Math.round(Math.max(applied.peakMb, restore.peakMb)),
    };
    log(
      `  file: ${rows.toLocaleString("en-US")} rows, ${(result.bytes / 2 ** 20).toFixed(1)} MiB; ${totals.move.toLocaleString("en-US")} moves and ${totals.setLimit.toLocaleString("en-US")} limits`,
    );
    log(
      `  preview (POST /api/console/members/import/preview): ${result.previewMs.join(" / ")} ms, answer ${(result.responseBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    log(
      `  apply   (POST /api/console/members/import/apply)  : ${result.applyMs} ms (restoring apply ${result.restoreMs} ms)`,
    );
    log(`  COPY FROM STDIN of the same file into a scratch table: ${result.copyMs.join(" / ")} ms`);
    log(
      `  the same writes as bare SQL, rolled back (floor of the restoring apply): ${result.writesFloorMs.join(" / ")} ms; restoring apply ÷ that ${result.applyToWritesFloorRatio}×`,
    );
    log(`  ratio preview ÷ COPY ${result.previewRatio}× · apply ÷ COPY ${result.applyRatio}× (goal apply ≤ 5×)`);
    log(
      `  server RSS: ${result.serverRssBeforeMb} MiB before, peak ${result.peakRssPreviewMb} MiB while previewing, ${result.peakRssApplyMb} MiB while applying`,
    );
    return result;
  } finally {
    if (importIds.length > 0 && !restored) {
      // Failed half-way: put the seed's assignments back before anything else measures the org.
      const back = await post(base, session, "import/preview", original, { period }).catch(() => null);
      const done = back
        ? await post(base, session, "import/apply", original, { period, fingerprint: back.body.fingerprint as string })
        : null;
      if (done) importIds.push(done.body.importId as string);
    }
    // The bench's own audit entries only (the owner may delete; the app role may not, migration 0003).
    for (const importId of importIds.filter(Boolean))
      await admin.db.execute(
        sql`delete from audit_log where org_id = ${orgId} and (after ->> 'importId') = ${importId}`,
      );
  }
}
