import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { ImportRow } from "./file";
import type { ImportGroupState, ImportMemberState, ImportState } from "./diff";

// R43: the organization as an import file sees it, read set-based — the file's emails and names
// go to PostgreSQL as arrays (one parameter each) and come back joined to members and billing
// groups — never a query per row. With `lock`, Apply takes the single assignment's locks in its
// order (R9, R12, R38): the named live billing groups FOR SHARE, then the members FOR UPDATE,
// both in id order, so concurrent imports and assignments serialise instead of deadlocking.

type MemberRow = {
  i: number;
  id: string;
  name: string;
  email: string;
  billing_group_id: string | null;
  billing_group_name: string | null;
  personal_limit: bigint | null;
  deactivated: boolean;
};

type GroupRow = { input: string; id: string; name: string };

export async function loadImportState(
  db: Executor,
  params: { orgId: string; rows: ImportRow[]; lock: boolean },
): Promise<ImportState> {
  const { orgId, rows, lock } = params;
  const names = [...new Set(rows.flatMap((r) => (r.billingGroup.kind === "named" ? [r.billingGroup.name] : [])))];
  const groups = new Map<string, ImportGroupState>();
  if (names.length > 0) {
    // Groups first (the single assignment's order). A group renamed or deleted while this waited
    // for its lock is re-checked on its new version and drops out.
    const live = await db.execute<GroupRow>(sql`
      select f.name as input, g.id, g.name
      from unnest(${sql.param(names)}::text[]) as f(name)
      join billing_groups g on g.org_id = ${orgId} and lower(g.name) = lower(f.name) and g.deleted_at is null
      order by g.id
      ${lock ? sql`for share of g` : sql``}`);
    for (const row of live) groups.set(row.input, { id: row.id, name: row.name });
    const unmatched = names.filter((name) => !groups.has(name));
    if (unmatched.length > 0) {
      const deleted = await db.execute<{ input: string }>(sql`
        select f.name as input from unnest(${sql.param(unmatched)}::text[]) as f(name)
        where exists (select 1 from billing_groups d
                      where d.org_id = ${orgId} and lower(d.name) = lower(f.name) and d.deleted_at is not null)`);
      for (const row of deleted) groups.set(row.input, "deleted");
    }
  }

  const emails = rows.map((r) => r.email || null);
  const found = await db.execute<MemberRow>(sql`
    select f.i::int as i, m.id, m.name, m.email, m.billing_group_id, bg.name as billing_group_name,
           m.personal_limit, m.deactivated_at is not null as deactivated
    from unnest(${sql.param(emails)}::text[]) with ordinality as f(email, i)
    join members m on m.org_id = ${orgId} and lower(m.email) = lower(f.email)
    left join billing_groups bg on bg.org_id = m.org_id and bg.id = m.billing_group_id
    order by m.id
    ${lock ? sql`for update of m` : sql``}`);
  const members: (ImportMemberState | undefined)[] = new Array(rows.length);
  for (const row of found) {
    members[row.i - 1] = {
      id: row.id,
      name: row.name,
      email: row.email,
      billingGroupId: row.billing_group_id,
      billingGroupName: row.billing_group_name,
      personalLimit: row.personal_limit === null ? null : BigInt(row.personal_limit),
      deactivated: row.deactivated,
    };
  }
  return { members, groups };
}

/** Download current assignments (R43): every active member, by email. */
export async function listMemberAssignments(db: Executor, params: { orgId: string }) {
  return db.execute<{ email: string; billing_group: string | null; personal_limit: bigint | null }>(sql`
    select m.email, bg.name as billing_group, m.personal_limit
    from members m
    left join billing_groups bg on bg.org_id = m.org_id and bg.id = m.billing_group_id
    where m.org_id = ${params.orgId} and m.deactivated_at is null
    order by lower(m.email) collate "C", m.id`);
}
