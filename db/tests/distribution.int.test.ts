import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "@/tests/support/db";

// Issue 20, docs/scaling.md §3: what lets the schema be distributed by `org_id` (Citus's
// multi-tenant pattern) without rewriting queries. Checked on the migrated database itself:
//  1. every primary key, unique constraint, unique index and foreign key of an org-owned table
//     (one with an `org_id` column) includes `org_id`, and every foreign key between org-owned
//     tables pairs `org_id` with `org_id` (so both rows live on one shard);
//  2. the tables without `org_id` are the ones scaling.md places (the tenant root and one global);
//  3. no statement joins two org-owned tables except on `org_id`: every `JOIN <org table> … ON/USING`
//     in a view, in a function body (pg_proc) and in the SQL of lib/ and db/ names `org_id` in its
//     condition. That covers explicit joins only, not comma joins or correlated subqueries; those
//     are still bounded at run time by row-level security, which every function below but the
//     listed SECURITY DEFINER lookups runs under.

/** Keys that span orgs on purpose; scaling.md §3 "Exceptions" says what each becomes on Citus. */
const CROSS_ORG_KEYS: Record<string, string> = {
  members_signin_email_key:
    "R5: one password sign-in identity per email across orgs; on Citus a sign_in_identities lookup table (exception 1)",
  api_keys_secret_hash_key:
    "a key's hash finds its org before any org is known; on Citus an api_key_lookup table (exception 2)",
};

/** Tables without `org_id`, and where they go on Citus. */
const GLOBAL_TABLES: Record<string, string> = {
  organizations: "the tenant root, distributed by its id",
  sign_in_throttle: "throttles by email and address before any org is known; local on the coordinator",
};

/**
 * The functions that run as their owner, past row-level security: each returns what an org-less
 * caller needs and no more (migration 0003 and later). A new one must be added here, with why.
 */
const CROSS_ORG_FUNCTIONS: Record<string, string> = {
  ledgerline_api_key_by_hash: "one key's org and id by its hash (every API request)",
  ledgerline_sign_in_candidate: "one member by a sign-in email",
  ledgerline_members_matching: "member search, filtered by the caller's org inside",
  ledgerline_members_matching_rows: "the same search returning the rows, for the Members list (issue 19)",
  ledgerline_orgs_awaiting_statement_close: "org ids only, for the worker's period close",
  ledgerline_orgs_with_event_deliveries_due: "org ids only, for the worker's delivery sweep",
  ledgerline_orgs_with_forecast_candidates: "org ids only, for the worker's forecast check",
  ledgerline_orgs_with_undispatched_events: "org ids only, for the worker's dispatch sweep",
  ledgerline_statement_deliveries_due: "(org, group, period) keys only, for the worker's statement sweep",
};

type Constraint = {
  table: string;
  name: string;
  kind: "p" | "u" | "f" | "x";
  columns: string[];
  referenced: string | null;
  referencedColumns: string[] | null;
};

function hasOrgId(table: SQL): SQL {
  return sql`exists (select 1 from pg_attribute a where a.attrelid = ${table} and a.attname = 'org_id' and not a.attisdropped)`;
}

async function orgOwnedTables(): Promise<string[]> {
  const rows = await testDb().execute<{ table: string }>(sql`
    select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and ${hasOrgId(sql`c.oid`)}
    order by 1`);
  return rows.map((row) => row.table);
}

describe("distribution by org_id (docs/scaling.md §3)", () => {
  it("gives every key and foreign key of an org-owned table org_id, apart from the listed exceptions", async () => {
    const tables = await orgOwnedTables();
    expect(tables.length).toBeGreaterThan(20); // the query finds the tables it is meant to check
    const constraints = await testDb().execute<Constraint>(sql`
      select t.relname as table, con.conname as name, con.contype as kind,
        array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
        r.relname as referenced,
        case when con.contype = 'f' then
          array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
                join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)
        end as "referencedColumns"
      from pg_constraint con
      join pg_class t on t.oid = con.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      left join pg_class r on r.oid = con.confrelid
      where n.nspname = 'public' and con.contype in ('p', 'u', 'f', 'x')
        and ${hasOrgId(sql`t.oid`)}`);
    // Unique indexes that back no constraint (expression and partial ones): their key columns;
    // an expression counts as not being org_id.
    const uniqueIndexes = await testDb().execute<Pick<Constraint, "table" | "name" | "columns">>(sql`
      select t.relname as table, i.relname as name,
        array(select coalesce(a.attname::text, '(expression)') from unnest(ix.indkey) with ordinality k(attnum, ord)
              left join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum and k.attnum > 0
              where k.ord <= ix.indnkeyatts order by k.ord) as columns
      from pg_index ix
      join pg_class t on t.oid = ix.indrelid
      join pg_class i on i.oid = ix.indexrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and ix.indisunique and ${hasOrgId(sql`t.oid`)}
        and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid)`);

    const orgOwned = new Set(tables);
    const problems: string[] = [];
    const keys: Constraint[] = [
      ...constraints,
      ...uniqueIndexes.map((index) => ({ ...index, kind: "u" as const, referenced: null, referencedColumns: null })),
    ];
    for (const key of keys) {
      if (CROSS_ORG_KEYS[key.name]) continue;
      if (!key.columns.includes("org_id")) {
        problems.push(`${key.table}.${key.name} (${key.columns.join(", ")}) has no org_id`);
        continue;
      }
      if (key.kind !== "f") continue;
      const orgColumn = key.referencedColumns?.[key.columns.indexOf("org_id")];
      const expected = key.referenced === "organizations" ? "id" : "org_id";
      if (!orgOwned.has(key.referenced ?? "") && key.referenced !== "organizations") {
        problems.push(`${key.table}.${key.name} points at ${key.referenced}, which is neither org-owned nor the root`);
      } else if (orgColumn !== expected) {
        problems.push(`${key.table}.${key.name} pairs org_id with ${key.referenced}.${orgColumn}`);
      }
    }
    expect(problems).toEqual([]);
    // The exceptions still exist as described (a fix that removes one should remove it here too).
    const names = new Set(keys.map((key) => key.name));
    expect(Object.keys(CROSS_ORG_KEYS).filter((name) => !names.has(name))).toEqual([]);
  });

  it("has no tables without org_id but the tenant root and the listed global ones", async () => {
    const rows = await testDb().execute<{ table: string }>(sql`
      select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and not ${hasOrgId(sql`c.oid`)}
      order by 1`);
    expect(rows.map((row) => row.table)).toEqual(Object.keys(GLOBAL_TABLES).sort());
  });

  it("runs past row-level security only in the listed cross-org lookups", async () => {
    const rows = await testDb().execute<{ name: string }>(sql`
      select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prosecdef order by 1`);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(CROSS_ORG_FUNCTIONS).sort());
  });

  it("joins org-owned tables only on org_id, in views, functions and the app's SQL", async () => {
    const orgOwned = new Set(await orgOwnedTables());
    const bodies = await testDb().execute<{ name: string; body: string }>(sql`
      select 'function ' || p.proname as name, p.prosrc as body
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public'
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      union all
      select 'view ' || viewname, definition from pg_views where schemaname = 'public'`);
    const sources = [
      ...bodies,
      ...sourceFiles(["lib", "db"]).map((file) => ({ name: file, body: readFileSync(file, "utf8") })),
    ];
    const joins = sources.flatMap(({ name, body }) =>
      joinsOf(body)
        .filter((join) => orgOwned.has(join.table))
        .map((join) => ({ ...join, name })),
    );
    expect(joins.length).toBeGreaterThan(20); // the scan sees the joins it is meant to check
    const acrossOrgs = joins.filter((join) => !/\borg_id\b/.test(join.condition));
    expect(acrossOrgs.map((join) => `${join.name}: ${join.text}`)).toEqual([]);
  });
});

/** TypeScript and SQL under `dirs`, tests excluded (they may join anything to check it). */
function sourceFiles(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|sql)$/.test(file) && !/\.test\.ts$/.test(file))
      .map((file) => path.join(dir, file)),
  );
}

/** Where a join condition ends: the next clause, join, statement end or template interpolation. */
const CONDITION_END =
  /\b(?:where|join|left|right|inner|full|cross|group|order|limit|returning|union|having|window|select|set|values)\b|[;`]|\$\{|\)\s*(?:as\b|,|$)/i;

/** Every `JOIN <table> [alias] ON …` / `USING (…)` with a plain table name, and its condition. */
function joinsOf(text: string): { table: string; condition: string; text: string }[] {
  const found: { table: string; condition: string; text: string }[] = [];
  for (const match of text.matchAll(
    /\bjoin\s+(?:only\s+)?(?:public\.)?([a-z_]+)(?:\s+(?:as\s+)?[a-z_]+)?\s+(on|using)\b/gi,
  )) {
    const rest = text.slice(match.index + match[0].length);
    const end = rest.search(CONDITION_END);
    const condition = end === -1 ? rest : rest.slice(0, end);
    found.push({
      table: match[1]!.toLowerCase(),
      condition,
      text: `${match[0]}${condition}`.replace(/\s+/g, " ").trim(),
    });
  }
  return found;
}
