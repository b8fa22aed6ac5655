import { hash } from "@node-rs/argon2";
import postgres from "postgres";

// Only *.db.spec.ts files use this: they run where scripts/e2e.mjs created the database.
let sql: postgres.Sql | undefined;

export function e2eDb(): postgres.Sql {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (run through `npm run test:e2e`).");
  sql ??= postgres(url, { max: 2, onnotice: () => {} });
  return sql;
}

export async function demoOrgId(): Promise<string> {
  const rows = await e2eDb()<{ org_id: string }[]>`select org_id from members where lower(email) = 'admin@example.com'`;
  return rows[0]!.org_id;
}

/** A throwaway console account in the demo org, so tests that demote or deactivate don't touch demo users. */
export async function createAccount(role: "admin" | "billing_admin" | "member") {
  const tag = Math.random().toString(36).slice(2, 10);
  const email = `e2e-${role}-${tag}@example.test`;
  const password = `pw-${tag}-${tag}`;
  const orgId = await demoOrgId();
  await e2eDb()`insert into members (org_id, name, email, role, password_hash) values (${orgId}, ${`E2E ${role} ${tag}`}, ${email}, ${role}, ${await hash(password)})`;
  return { email, password, orgId };
}

/**
 * A separate organization larger than a page (issue 8): 60 billing groups, "Big Group" with 120
 * members who all consumed Credits this period, and its own admin. Nothing of the demo org changes.
 */
export async function createPagedOrg() {
  const tag = Math.random().toString(36).slice(2, 10);
  const db = e2eDb();
  const now = new Date();
  const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  const [org] = await db<
    { id: string }[]
  >`insert into organizations (name, billing_group_cap) values (${`Paged ${tag}`}, 200) returning id`;
  const orgId = org!.id;
  const email = `e2e-paged-${tag}@example.test`;
  const password = `pw-${tag}-${tag}`;
  await db`insert into members (org_id, name, email, role, password_hash) values (${orgId}, 'Paged Admin', ${email}, 'admin', ${await hash(password)})`;
  await db`insert into billing_groups (org_id, name) select ${orgId}, 'Cost Center ' || lpad(g::text, 2, '0') from generate_series(1, 59) g`;
  const [big] = await db<
    { id: string }[]
  >`insert into billing_groups (org_id, name) values (${orgId}, 'Big Group') returning id`;
  await db`
    insert into members (org_id, name, email, personal_limit, billing_group_id)
    select ${orgId}, 'Person ' || lpad(i::text, 3, '0'), 'person' || i || '-' || ${tag} || '@example.test', 100000, ${big!.id}
    from generate_series(1, 120) i`;
  await db`
    insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
    select org_id, ${period}, id, billing_group_id, 100, 1 from members where org_id = ${orgId} and billing_group_id = ${big!.id}`;
  return { orgId, email, password, bigGroupId: big!.id };
}
