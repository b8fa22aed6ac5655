import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { JOB_SCHEMA, QUEUE_OPTIONS } from "@/lib/jobs/queues";

const adminUrl = process.env.TEST_ADMIN_DATABASE_URL!;

function urlFor(database: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

describe("migrations", () => {
  it("apply from an empty database, and again as a no-op", async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const name = `ledgerline_migrate_${Date.now().toString(36)}`;
    await admin.unsafe(`create database ${name}`);
    try {
      await runMigrations(urlFor(name));
      await runMigrations(urlFor(name));
      const db = postgres(urlFor(name), { max: 1 });
      const tables = await db<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
      const orgScoped = await db<{ table_name: string }[]>`
        select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'org_id' order by table_name`;
      const version = await db<{ v: string }[]>`select current_setting('server_version_num') as v`;
      await db.end();
      const names = tables.map((t) => t.table_name);
      expect(names).toEqual(
        expect.arrayContaining([
          "organizations",
          "members",
          "billing_groups",
          "groups",
          "group_memberships",
          "usage_events",
          "member_group_period_usage",
          "member_period_usage",
          "group_period_usage",
          "api_keys",
          "idempotency_records",
          "audit_log",
          "billing_group_viewers",
          "billing_group_recipients",
          "statement_deliveries",
          "statement_period_closes",
        ]),
      );
      // R1: every table carries org_id but the tenant root and the pre-sign-in throttle (no tenant data).
      const notTenantOwned = ["organizations", "sign_in_throttle"];
      expect(orgScoped.map((t) => t.table_name).sort()).toEqual(
        names.filter((n) => !notTenantOwned.includes(n)).sort(),
      );
      expect(Number(version[0]!.v)).toBeGreaterThanOrEqual(150000);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it("bring an existing install's job queues to the current settings (queues once made `stately`)", async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const name = `ledgerline_queues_${Date.now().toString(36)}`;
    await admin.unsafe(`create database ${name}`);
    try {
      await runMigrations(urlFor(name));
      const db = postgres(urlFor(name), { max: 1, onnotice: () => {} });
      try {
        await db.unsafe(`update ${JOB_SCHEMA}.queue set policy = 'stately', expire_seconds = 60`);
        await runMigrations(urlFor(name));
        const queues = await db<{ name: string; policy: string; expire_seconds: number; retry_limit: number }[]>`
          select name, policy, expire_seconds, retry_limit from pgboss.queue
          where name = any(${Object.keys(QUEUE_OPTIONS)}) order by name`;
        expect(Object.fromEntries(queues.map((q) => [q.name, [q.policy, q.expire_seconds, q.retry_limit]]))).toEqual(
          Object.fromEntries(
            Object.entries(QUEUE_OPTIONS).map(([queue, o]) => [queue, [o.policy, o.expireInSeconds, o.retryLimit]]),
          ),
        );
      } finally {
        await db.end();
      }
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
