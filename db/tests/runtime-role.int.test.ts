import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, createDatabase } from "@/db/connection";
import { runMigrations } from "@/db/migrate";
import { seedDemoOrganization } from "@/db/seed/demo";

// SPEC R47 (issue 22): the runtime logs in as its own role, which is no superuser, not the owner,
// cannot bypass row-level security, cannot create, and sees no org's rows until withOrg() sets one.
// A database of its own with the demo organization in it, so every "0 rows" below hides real rows;
// the run's runtime login (DATABASE_APP_URL) reaches it through its membership of ledgerline_app.
const appUrl = process.env.DATABASE_APP_URL;
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;
const database = `ledgerline_runtime_${Date.now().toString(36)}`;

function inDatabase(url: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
let owner: postgres.Sql;
let runtime: postgres.Sql;
let demoOrgId: string;
let otherOrgId: string;

beforeAll(async () => {
  if (!appUrl) throw new Error("DATABASE_APP_URL is not set: run through `npm run test:integration`.");
  await admin.unsafe(`create database ${database}`);
  await runMigrations(inDatabase(adminUrl));
  const seeding = createDatabase(inDatabase(adminUrl), { max: 1 });
  try {
    demoOrgId = await seedDemoOrganization(seeding.db);
  } finally {
    await seeding.client.end();
  }
  owner = postgres(inDatabase(adminUrl), { max: 1, onnotice: () => {} });
  const [other] = await owner<{ id: string }[]>`insert into organizations (name) values ('Other') returning id`;
  otherOrgId = other!.id;
  await owner`insert into members (org_id, name, email) values (${otherOrgId}, 'Alex Other', 'alex@other.test')`;
  runtime = postgres(inDatabase(appUrl), { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await runtime?.end();
  await owner?.end();
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
});

/** SQLSTATE of a failed query, e.g. 42501 for insufficient privilege. */
async function failureCode(query: Promise<unknown>): Promise<string | undefined> {
  try {
    await query;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? "no code";
  }
}

async function orgScopedTables(): Promise<string[]> {
  const rows = await owner<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'org_id' order by table_name`;
  return ["organizations", ...rows.map((r) => r.table_name)];
}

describe("the runtime login role (R47)", () => {
  it("is its own login: neither superuser nor owner, no BYPASSRLS, no CREATEDB/CREATEROLE/REPLICATION", async () => {
    const [me] = await runtime`
      select current_user as name, session_user as login, r.rolsuper, r.rolbypassrls, r.rolcreatedb,
        r.rolcreaterole, r.rolreplication, pg_get_userbyid(d.datdba) as database_owner,
        (select tableowner from pg_tables where schemaname = 'public' and tablename = 'members') as table_owner
      from pg_roles r, pg_database d where r.rolname = current_user and d.datname = current_database()`;
    expect(me).toMatchObject({
      rolsuper: false,
      rolbypassrls: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
    });
    expect(me!.name).toBe(me!.login);
    expect([me!.database_owner, me!.table_owner, APP_ROLE]).not.toContain(me!.name);
    expect(new URL(appUrl!).username).not.toBe(new URL(process.env.DATABASE_URL!).username);
  });

  it("owns nothing in any database and is a member of ledgerline_app only", async () => {
    const [role] = await runtime`
      select (select count(*)::int from pg_shdepend d
               where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid and d.deptype = 'o') as owned,
             array(select o.rolname from pg_roles o
               where o.oid <> r.oid and pg_has_role(r.oid, o.oid, 'MEMBER') order by o.rolname)::text[] as roles
      from pg_roles r where r.rolname = current_user`;
    expect(role).toEqual({ owned: 0, roles: [APP_ROLE] });
  });

  it("cannot SET ROLE to postgres or to the owner; SET ROLE NONE and RESET ROLE leave it as itself", async () => {
    const [identity] = await runtime<{ login: string; owner: string }[]>`
      select session_user as login, pg_get_userbyid(datdba) as owner from pg_database where datname = current_database()`;
    const { login, owner: dbOwner } = identity!;
    expect(await failureCode(runtime`set role postgres`)).toBe("42501");
    expect(await failureCode(runtime`set role ${runtime(dbOwner)}`)).toBe("42501");
    expect(await failureCode(runtime`set session authorization postgres`)).toBe("42501");
    for (const reset of ["set role none", "reset role"]) {
      const [after] = await runtime.begin(async (tx) => {
        await tx.unsafe(reset);
        return tx<{ name: string; superuser: boolean }[]>`
          select current_user as name, rolsuper as superuser from pg_roles where rolname = current_user`;
      });
      expect(after, reset).toEqual({ name: login, superuser: false });
    }
  });

  it("cannot create tables or schemas, nor run programs through COPY", async () => {
    expect(await failureCode(runtime`create table public.smuggled (id int)`)).toBe("42501");
    expect(await failureCode(runtime`create table smuggled (id int)`)).toBe("42501");
    expect(await failureCode(runtime`create schema smuggled`)).toBe("42501");
    expect(await failureCode(runtime.unsafe(`copy (select 1) to program 'true'`))).toBe("42501");
    expect(await failureCode(runtime.unsafe(`copy members to '/tmp/ledgerline-members.csv'`))).toBe("42501");
  });

  it("sees 0 rows in every org-scoped table when no org is set, and the org's rows once it is", async () => {
    const tables = await orgScopedTables();
    expect(tables).toEqual(expect.arrayContaining(["organizations", "members", "usage_events", "audit_log"]));
    for (const table of tables) {
      const [hidden] = await runtime<{ n: number }[]>`select count(*)::int as n from ${runtime(table)}`;
      expect(hidden, table).toEqual({ n: 0 });
      // Even after dropping any role it might have switched to.
      const [reset] = await runtime.begin(async (tx) => {
        await tx`reset role`;
        return tx<{ n: number }[]>`select count(*)::int as n from ${tx(table)}`;
      });
      expect(reset, table).toEqual({ n: 0 });
      // The 0 is row-level security at work, not an empty table or a missing grant.
      const column = table === "organizations" ? "id" : "org_id";
      const [stored] = await owner<{ n: number }[]>`
        select count(*)::int as n from ${owner(table)} where ${owner(column)} = ${demoOrgId}`;
      const [visible] = await runtime.begin(async (tx) => {
        await tx`select set_config('app.org_id', ${demoOrgId}, true)`;
        return tx<{ n: number }[]>`select count(*)::int as n from ${tx(table)}`;
      });
      expect(visible, table).toEqual(stored);
    }
    const [members] = await owner<{ n: number }[]>`select count(*)::int as n from members`;
    expect(members!.n).toBeGreaterThan(1);
  });

  // Both search functions (issue 8's ids, issue 19's whole rows) run as their owner: same guard.
  describe.each(["ledgerline_members_matching", "ledgerline_members_matching_rows"])("%s", (fn) => {
    it("finds members only for the org that is set", async () => {
      const match = (setOrg: string | null, askedOrg: string) =>
        runtime.begin(async (tx) => {
          if (setOrg) await tx`select set_config('app.org_id', ${setOrg}, true)`;
          return tx<{ found: number }[]>`select 1 as found from ${tx(fn)}(${askedOrg}::uuid, '%')`;
        });
      expect(await match(null, demoOrgId)).toHaveLength(0);
      expect(await match(null, otherOrgId)).toHaveLength(0);
      expect(await match(demoOrgId, otherOrgId)).toHaveLength(0);
      expect(await match(otherOrgId, demoOrgId)).toHaveLength(0);
      expect(await match(otherOrgId, otherOrgId)).toHaveLength(1);
      expect((await match(demoOrgId, demoOrgId)).length).toBeGreaterThan(1);
    });

    it("stays closed on the owner fallback too, where the app role is set at connect", async () => {
      const fallback = postgres(inDatabase(adminUrl), {
        max: 1,
        onnotice: () => {},
        connection: { options: `-c role=${APP_ROLE}` },
      });
      try {
        const rows = await fallback`select 1 as found from ${fallback(fn)}(${otherOrgId}::uuid, '%')`;
        expect(rows).toHaveLength(0);
      } finally {
        await fallback.end();
      }
      // A caller that bypasses row-level security reads every member anyway, so it may ask without an org.
      const [caller] = await owner<{ bypasses: boolean }[]>`select ledgerline_caller_bypasses_rls() as bypasses`;
      const direct = await owner`select 1 as found from ${owner(fn)}(${otherOrgId}::uuid, '%')`;
      expect(direct).toHaveLength(caller!.bypasses ? 1 : 0);
    });
  });
});
