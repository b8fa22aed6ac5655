import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Executor } from "@/db";
import { formatCredits } from "@/lib/credits/rules";
import { isUuid } from "@/lib/ids";
import { DomainError, NotFoundError } from "@/lib/errors";
import { billCsvLine, billHeaderCsv, type BillRow } from "./csv";

export type BillScope =
  | { kind: "all" }
  | { kind: "unassigned" }
  | { kind: "group"; id: string; name: string; deleted: boolean };

/**
 * `billingGroup` as the URL gives it: absent or `all`, `unassigned`, or a billing group id of this
 * org. A deleted group is still a valid scope: its bills stay downloadable (R13).
 */
export async function resolveBillScope(
  db: Executor,
  params: { orgId: string; billingGroup: string | null },
): Promise<BillScope> {
  const raw = params.billingGroup?.trim() || "all";
  if (raw === "all") return { kind: "all" };
  if (raw === "unassigned") return { kind: "unassigned" };
  if (!isUuid(raw))
    throw new DomainError("invalid_input", "billingGroup must be a billing group id, `unassigned` or `all`.");
  const rows = await db.execute<{ id: string; name: string; deleted: boolean }>(
    sql`select id, name, deleted_at is not null as deleted from billing_groups where org_id = ${params.orgId} and id = ${raw}`,
  );
  const group = rows[0];
  if (!group) throw new NotFoundError("That billing group");
  return { kind: "group", id: group.id, name: group.name, deleted: group.deleted };
}

function scopeFilter(scope: BillScope): SQL {
  if (scope.kind === "all") return sql``;
  if (scope.kind === "unassigned") return sql` and u.billing_group_id is null`;
  return sql` and u.billing_group_id = ${scope.id}`;
}

/**
 * R25: one row per (billing group, member) with consumption > 0 attributed to that group in the
 * period — read from the member × group × period rollup, never from raw events. Ordered by group
 * name case-insensitively with Unassigned last, then member name, then email; "C" collation and
 * id tie-breaks make the order byte-for-byte reproducible on any server and locale.
 * The preview and the file both run this (each with its own columns), so their figures agree.
 */
function billRowsQuery(
  params: { orgId: string; period: string; scope: BillScope },
  columns: SQL,
  narrower: SQL = sql``,
): SQL {
  return sql`
    select ${columns}
    from member_group_period_usage u
    join members m on m.org_id = u.org_id and m.id = u.member_id
    left join billing_groups bg on bg.org_id = u.org_id and bg.id = u.billing_group_id
    where u.org_id = ${params.orgId} and u.period = ${params.period} and u.credits > 0${scopeFilter(params.scope)}${narrower}
    order by (u.billing_group_id is null), lower(bg.name) collate "C", u.billing_group_id,
             lower(m.name) collate "C", lower(m.email) collate "C", m.id`;
}

const PREVIEW_COLUMNS = sql`u.billing_group_id as billing_group_id, coalesce(bg.name, 'Unassigned') as billing_group, m.name as member_name, m.email as email, u.credits as credits`;

/** The file's four columns; Credits in hundredths, written by formatCredits like everywhere else. */
const CSV_COLUMNS = sql`coalesce(bg.name, 'Unassigned'), m.name, m.email, u.credits`;

/**
 * The rows, order and scope of the CSV with the caller's columns. The file uses CSV_COLUMNS; the
 * export benchmark COPYs the same rows with PostgreSQL formatting the Credits.
 */
export function billCsvQuery(
  params: { orgId: string; period: string; scope: BillScope },
  columns: SQL = CSV_COLUMNS,
): SQL {
  return billRowsQuery(params, columns);
}

type RawBillRow = { billing_group: string; member_name: string; email: string; credits: bigint | string };

function toBillRow(row: RawBillRow): BillRow {
  return {
    billingGroup: row.billing_group,
    memberName: row.member_name,
    email: row.email,
    credits: formatCredits(BigInt(row.credits)),
  };
}

export type BillPreview = {
  rows: BillRow[];
  rowCount: number;
  totals: { billingGroup: string; rows: number; credits: string }[];
  totalCredits: string;
};

/**
 * The drawer's preview: the first rows of the file, its row count and Credits per group and overall.
 * Totals come from the rollup and billing group names alone (no member join, no member sort);
 * the first rows are then read from just the leading groups that hold them, in the file's order,
 * so a 50,000-row bill previews in milliseconds (issue 8).
 */
export async function getBillPreview(
  db: Executor,
  params: { orgId: string; period: string; scope: BillScope; limit?: number },
): Promise<BillPreview> {
  const limit = params.limit ?? 10;
  const totals = await db.execute<{
    billing_group_id: string | null;
    billing_group: string;
    rows: number;
    credits: string;
  }>(sql`
    select u.billing_group_id, coalesce(bg.name, 'Unassigned') as billing_group, count(*)::int as rows, sum(u.credits)::text as credits
    from member_group_period_usage u
    left join billing_groups bg on bg.org_id = u.org_id and bg.id = u.billing_group_id
    where u.org_id = ${params.orgId} and u.period = ${params.period} and u.credits > 0${scopeFilter(params.scope)}
    group by u.billing_group_id, bg.name
    order by (u.billing_group_id is null), lower(bg.name) collate "C", u.billing_group_id`);
  const leading: (string | null)[] = [];
  for (let i = 0, covered = 0; i < totals.length && covered < limit; i++) {
    leading.push(totals[i]!.billing_group_id);
    covered += Number(totals[i]!.rows);
  }
  const ids = leading.filter((id): id is string => id !== null).map((id) => sql`${id}`);
  const inLeading = [
    ...(ids.length ? [sql`u.billing_group_id in (${sql.join(ids, sql`, `)})`] : []),
    ...(leading.includes(null) ? [sql`u.billing_group_id is null`] : []),
  ];
  const first = inLeading.length
    ? await db.execute<RawBillRow>(
        sql`${billRowsQuery(params, PREVIEW_COLUMNS, sql` and (${sql.join(inLeading, sql` or `)})`)} limit ${limit}`,
      )
    : [];
  const total = totals.reduce((sum, t) => sum + BigInt(t.credits), 0n);
  return {
    rows: first.map(toBillRow),
    rowCount: totals.reduce((sum, t) => sum + Number(t.rows), 0),
    totals: totals.map((t) => ({
      billingGroup: t.billing_group,
      rows: Number(t.rows),
      credits: formatCredits(BigInt(t.credits)),
    })),
    totalCredits: formatCredits(total),
  };
}

const dialect = new PgDialect();

type CsvRow = [billingGroup: string, memberName: string, email: string, credits: bigint];

/**
 * R28: the CSV, streamed from a server-side cursor on a dedicated connection inside a read-only
 * transaction scoped to the org, a batch at a time, so memory stays flat however many rows.
 * The next batch is requested before the current one is formatted, so PostgreSQL sends it while
 * Node writes CSV (at most two batches in memory); rows come as arrays, not objects.
 */
/**
 * Rows per cursor fetch. The next batch is always asked for before this one is written, so
 * PostgreSQL sends (and postgres.js decodes) one batch while Node writes the previous one; smaller
 * batches overlap the two more. Measured on the large org's 47,245-row bill (issue 19, item 4):
 * 1,000–5,000 rows a batch ran 240–250 ms against COPY's 220 ms; 10,000 rows 265–277 ms.
 */
const BILL_CURSOR_BATCH_ROWS = 2_000;

export async function* billCsvChunks(
  client: postgres.Sql,
  params: {
    orgId: string;
    period: string;
    scope: BillScope;
    batchSize?: number;
    /** Sees each row's Credits as it is written (a statement's totals come from the very rows it attaches). */
    onRow?: (credits: bigint) => void;
  },
): AsyncGenerator<string> {
  const connection = await client.reserve();
  let open = false;
  let batches: AsyncIterator<CsvRow[]> | undefined;
  let pending: Promise<IteratorResult<CsvRow[]>> | undefined;
  try {
    await connection`begin isolation level repeatable read read only`;
    open = true;
    await connection`select set_config('app.org_id', ${params.orgId}, true)`;
    yield billHeaderCsv();
    const query = dialect.sqlToQuery(billCsvQuery(params));
    batches = connection
      .unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[])
      .values()
      .cursor(params.batchSize ?? BILL_CURSOR_BATCH_ROWS)
      [Symbol.asyncIterator]() as AsyncIterator<CsvRow[]>;
    pending = batches.next();
    for (;;) {
      const batch = await pending;
      pending = undefined;
      if (batch.done) break;
      pending = batches.next();
      let csv = "";
      for (const row of batch.value) {
        csv += billCsvLine(row[0], row[1], row[2], formatCredits(row[3]));
        params.onRow?.(row[3]);
      }
      yield csv;
    }
    batches = undefined;
    await connection`commit`;
    open = false;
  } finally {
    // Stopped early (the download was cancelled): let the batch already asked for arrive, then
    // close the portal, or the connection would wait for a reader that never comes.
    if (pending) await pending.catch(() => undefined);
    if (batches) await batches.return?.();
    if (open) await connection`rollback`.catch(() => undefined);
    connection.release();
  }
}

/**
 * Chunks of CSV the byte stream holds ahead of its reader. With the default (one), the next batch
 * was formatted only once the socket had taken the last, so formatting and sending took turns;
 * a few chunks (each one cursor batch, about 120 KB) let them overlap while memory stays bounded.
 */
const BILL_STREAM_CHUNKS_AHEAD = 4;

/** Wraps the chunks in a byte stream with backpressure: batches are read only a few chunks ahead. */
export function billCsvStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    new CountQueuingStrategy({ highWaterMark: BILL_STREAM_CHUNKS_AHEAD }),
  );
}

export type BillScopeOption = { value: string; label: string };

/**
 * What the export drawer offers for a period: all, Unassigned, every live billing group, and any
 * deleted one that still has usage in that period (its history stays exportable, R13).
 */
export async function listBillScopeOptions(
  db: Executor,
  params: { orgId: string; period: string },
): Promise<BillScopeOption[]> {
  const groups = await db.execute<{ id: string; name: string; deleted: boolean }>(sql`
    select bg.id, bg.name, bg.deleted_at is not null as deleted
    from billing_groups bg
    where bg.org_id = ${params.orgId}
      and (bg.deleted_at is null or exists (
        select 1 from group_period_usage g
        where g.org_id = bg.org_id and g.period = ${params.period} and g.billing_group_id = bg.id and g.credits > 0))
    order by lower(bg.name) collate "C", bg.id`);
  return [
    { value: "all", label: "All billing groups" },
    ...groups.map((g) => ({ value: g.id, label: g.deleted ? `${g.name} (deleted)` : g.name })),
    { value: "unassigned", label: "Unassigned" },
  ];
}
