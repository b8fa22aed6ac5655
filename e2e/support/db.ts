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
