import { sql } from "drizzle-orm";
import { hashPassword } from "../../lib/crypto/password";
import { periodOf } from "../../lib/periods/rules";
import type { Database } from "../connection";
import { backdateSettingsHistory, rebuildUsageRollups } from "./rollups";

// Issue 8: an enterprise-sized organization to measure the product at scale. Everything is
// generated inside PostgreSQL with set-based SQL (one INSERT … SELECT per step), and every
// "random" choice is a hash of (row number, salt), so the same `now` always yields the same data.

export const LARGE_ORG_NAME = "Globex Enterprise";

export const LARGE_ACCOUNTS = {
  admin: { email: "admin@globex.example", password: "large-admin", name: "Greta Globex" },
  billingAdmin: { email: "billing@globex.example", password: "large-billing", name: "Boris Billing" },
} as const;

export type LargeShape = {
  members: number;
  /**
   * How strongly members crowd into the first billing groups: member n's group is
   * 1 + ⌊groups · r^skew⌋ for a uniform r, so the first group holds groups^(−1/skew) of them.
   */
  billingGroupSkew: number;
  /** The same for surnames: the first surname (Nguyen) goes to 20^(−1/skew) of the members. */
  surnameSkew: number;
  billingGroups: number;
  deletedBillingGroups: number;
  unassignedShare: number;
  groups: number;
  groupMemberships: number;
  personalLimitShare: number;
  historicalPeriods: number;
  eventsCurrentPeriod: number;
  eventsTotal: number;
};

export const LARGE_SHAPE: LargeShape = {
  members: 50_000,
  billingGroupSkew: 2,
  surnameSkew: 1,
  billingGroups: 300,
  /** Soft-deleted billing groups that still carry history (R13). */
  deletedBillingGroups: 5,
  unassignedShare: 0.05,
  groups: 1_000,
  groupMemberships: 20_000,
  personalLimitShare: 0.95,
  /** Periods before the current one. */
  historicalPeriods: 12,
  eventsCurrentPeriod: 500_000,
  eventsTotal: 5_000_000,
};

export type LargeSeedSummary = {
  orgId: string;
  periods: string[];
  members: number;
  billingGroups: number;
  groups: number;
  events: number;
  seconds: number;
};

type Log = (line: string) => void;

type SeedAccount = { email: string; password: string; name: string };

/** An organization this generator makes: who signs in, under which domain, and how big it is. */
export type SeededOrgSpec = {
  /** Deterministic, so a re-run finds (and can replace) the org it made. */
  id: string;
  name: string;
  emailDomain: string;
  accounts: { admin: SeedAccount; billingAdmin: SeedAccount };
  shape: LargeShape;
};

export const LARGE_ORG_ID = "6c6f6261-6c2d-4c61-a267-650000000001";

export const LARGE_ORG: SeededOrgSpec = {
  id: LARGE_ORG_ID,
  name: LARGE_ORG_NAME,
  emailDomain: "globex.example",
  accounts: LARGE_ACCOUNTS,
  shape: LARGE_SHAPE,
};

/**
 * Issue 19: the page-equal baseline. About 1/100 of the large org's members and events, yet every
 * screen the benchmark measures shows it the same number of rows: the same 300 billing groups
 * (pages of 25), more than a page of members in its largest billing group (the filter's 50, the
 * details drawer's 100) and more than a page of "nguy" matches (the search's 50), 100 groups (the
 * Groups search "team 00" fills a page of 25 in both). A large ÷ baseline ratio then measures
 * data size alone, not rows drawn.
 */
export const BASELINE_ORG: SeededOrgSpec = {
  id: "6c6f6261-6c2d-4c61-a267-650000000002",
  name: "Globex Baseline",
  emailDomain: "baseline.globex.example",
  accounts: {
    admin: { email: "admin@baseline.globex.example", password: "baseline-admin", name: "Bea Baseline" },
    billingAdmin: { email: "billing@baseline.globex.example", password: "baseline-billing", name: "Bo Baseline" },
  },
  shape: {
    ...LARGE_SHAPE,
    members: 500,
    // 300^(−1/4) ≈ 24 %: about 120 members in the first billing group.
    billingGroupSkew: 4,
    // 20^(−1/2) ≈ 22 %: about 110 Nguyens.
    surnameSkew: 2,
    groups: 100,
    groupMemberships: 400,
    eventsCurrentPeriod: 5_000,
    eventsTotal: 50_000,
  },
};

function monthStart(instant: Date, monthsBack: number): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() - monthsBack, 1));
}

/** Whether the large org exists and finished seeding (an interrupted run leaves it named "… (seeding)"). */
export async function largeOrgState(
  db: Database,
  org: SeededOrgSpec = LARGE_ORG,
): Promise<"absent" | "partial" | "complete"> {
  const rows = await db.execute<{ name: string }>(sql`select name from organizations where id = ${org.id}`);
  if (!rows[0]) return "absent";
  return rows[0].name === org.name ? "complete" : "partial";
}

/**
 * Removes the large org. A cascaded delete fires foreign-key triggers for each of its millions of
 * rows, so a superuser deletes table by table (every table with an org_id column) with those
 * triggers off instead; anyone else gets the plain cascade, slower but the same result.
 */
export async function deleteLargeOrg(db: Database, org: SeededOrgSpec = LARGE_ORG): Promise<void> {
  const orgId = org.id;
  const [role] = await db.execute<{ super: boolean }>(
    sql`select rolsuper as super from pg_roles where rolname = current_user`,
  );
  if (role?.super) {
    const tables = await db.execute<{ table_name: string }>(sql`
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const { table_name } of tables) {
        await tx.execute(sql`delete from ${sql.identifier(table_name)} where org_id = ${orgId}`);
      }
      await tx.execute(sql`delete from organizations where id = ${orgId}`);
    });
    return;
  }
  // Cascades to every org-owned row (the audit log refuses UPDATE, not a cascaded DELETE).
  await db.execute(sql`delete from organizations where id = ${orgId}`);
}

/**
 * Seeds the large org on a single connection (the pg_temp helpers live in its session).
 * `db` must connect as a role that bypasses row-level security (the migration owner), like the
 * demo seed. Returns counts for the caller's summary.
 */
export async function seedLargeOrganization(
  db: Database,
  options: { now: Date; log: Log; org?: SeededOrgSpec; shape?: LargeShape },
): Promise<LargeSeedSummary> {
  const { now, log } = options;
  const started = performance.now();
  const org = options.org ?? LARGE_ORG;
  const orgId = org.id;
  const accounts = org.accounts;
  // Tests pass a scaled-down shape; `npm run seed:large` the issue-8 one and the baseline's.
  const shape = options.shape ?? org.shape;
  const orgCreated = monthStart(now, shape.historicalPeriods);
  const deletedAt = monthStart(now, 3);
  const periods = Array.from({ length: shape.historicalPeriods + 1 }, (_, i) =>
    periodOf(monthStart(now, shape.historicalPeriods - i)),
  );
  const nowIso = now.toISOString();

  const step = async (label: string, work: () => Promise<number | undefined>) => {
    const stepStarted = performance.now();
    const count = await work();
    const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
    const took = ((performance.now() - stepStarted) / 1000).toFixed(1);
    log(
      `[${elapsed} s] ${label}${typeof count === "number" ? `: ${count.toLocaleString("en-US")} rows` : ""} (${took} s)`,
    );
  };

  // Ids are valid RFC 9562 UUIDs (version and variant bits set): the app's schemas check them.
  // rnd(k, salt) ∈ [0, 1): 53 bits of a 64-bit hash. Same inputs, same value, on any server.
  await db.execute(sql`
    create or replace function pg_temp.rnd(k bigint, salt bigint) returns float8
    language sql immutable parallel safe as
    $$ select ((hashint8extended(k, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`);
  // Event ids are laid out like UUIDv7 (time first), as a time-ordered generator would make them:
  // the primary key then grows at its right edge instead of touching random pages.
  await db.execute(sql`
    create or replace function pg_temp.event_uuid(k bigint, at timestamptz) returns uuid
    language sql immutable parallel safe as
    $$ select overlay(overlay(overlay(md5('${sql.raw(orgId)}/event/' || k)
         placing lpad(to_hex((extract(epoch from at) * 1000)::bigint), 12, '0') from 1) placing '7' from 13) placing '8' from 17)::uuid $$`);
  await db.execute(sql`
    create or replace function pg_temp.det_uuid(kind text, k bigint) returns uuid
    language sql immutable parallel safe as
    $$ select overlay(overlay(md5('${sql.raw(orgId)}/' || kind || '/' || k) placing '4' from 13) placing '8' from 17)::uuid $$`);

  // Bulk-load settings for this session only: room to sort and hash millions of rows in memory.
  await db.execute(sql`set work_mem = '256MB'`);
  await db.execute(sql`set maintenance_work_mem = '512MB'`);
  // A superuser may skip the per-row foreign-key triggers while loading events and rollups (they
  // are most of the load time); `verifyLargeOrgIntegrity` then checks every reference set-based.
  const [role] = await db.execute<{ super: boolean }>(
    sql`select rolsuper as super from pg_roles where rolname = current_user`,
  );
  const bulk = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!role?.super) return work();
    await db.execute(sql`set session_replication_role = replica`);
    try {
      return await work();
    } finally {
      await db.execute(sql`set session_replication_role = origin`);
    }
  };

  await step("organization", async () => {
    await db.execute(sql`
      insert into organizations (id, name, billing_group_cap, created_at)
      values (${orgId}, ${`${org.name} (seeding)`}, 400, ${orgCreated.toISOString()})`);
    return 1;
  });

  const [adminHash, billingHash] = await Promise.all([
    hashPassword(accounts.admin.password),
    hashPassword(accounts.billingAdmin.password),
  ]);

  // Member n = 1…members; 1 and 2 are the sign-in accounts. Each member's billing group, limit,
  // and (for 10%) the group they were in before a move are fixed here and reused by every step.
  await step("member plan", async () => {
    await db.execute(sql`drop table if exists pg_temp.large_people`);
    await db.execute(sql`
      create temp table large_people as
      select n,
             pg_temp.det_uuid('member', n) as id,
             case when n > 2 and pg_temp.rnd(n, 1) < ${shape.unassignedShare} then null
                  else 1 + floor(${shape.billingGroups} * pg_temp.rnd(n, 2) ^ ${shape.billingGroupSkew}::float8)::int end as group_n,
             n <= 2 or pg_temp.rnd(n, 3) >= ${1 - shape.personalLimitShare} as has_limit,
             n > 2 and pg_temp.rnd(n, 8) < 0.005 as deactivated,
             case when n > 2 and pg_temp.rnd(n, 4) < 0.10
                  then case when pg_temp.rnd(n, 6) < 0.1 then 0
                            else 1 + floor(${shape.billingGroups + shape.deletedBillingGroups} * pg_temp.rnd(n, 5))::int end
             end as prev_group_n,
             ${orgCreated.toISOString()}::timestamptz + pg_temp.rnd(n, 7) * (${nowIso}::timestamptz - ${orgCreated.toISOString()}::timestamptz) as moved_at
      from generate_series(1, ${shape.members}) n`);
    // A member who left a deleted group left it no later than its deletion (R13).
    await db.execute(sql`
      update large_people set moved_at = least(moved_at, ${deletedAt.toISOString()}::timestamptz)
      where prev_group_n > ${shape.billingGroups}`);
    await db.execute(sql`create unique index on large_people (n)`);
    await db.execute(sql`analyze large_people`);
    return shape.members;
  });

  await step("billing groups", async () => {
    const rows = await db.execute(sql`
      insert into billing_groups (org_id, id, name, description, created_by, created_at, updated_at, deleted_at, deleted_by)
      select ${orgId}, pg_temp.det_uuid('billing_group', g),
             (array['Engineering','Research','Sales','Marketing','Support','Finance','Operations','Legal','Design','Data'])[1 + g % 10]
               || ' ' || lpad(g::text, 3, '0'),
             'Cost center ' || (4000 + g)::text,
             null,
             ${orgCreated.toISOString()}::timestamptz + g * interval '1 minute',
             ${orgCreated.toISOString()}::timestamptz + g * interval '1 minute',
             case when g > ${shape.billingGroups} then ${deletedAt.toISOString()}::timestamptz end,
             null
      from generate_series(1, ${shape.billingGroups + shape.deletedBillingGroups}) g`);
    return rows.count;
  });

  await step("members", async () => {
    const rows = await db.execute(sql`
      insert into members (org_id, id, name, email, role, billing_group_id, password_hash, deactivated_at, created_at, updated_at)
      select ${orgId}, p.id,
             case p.n when 1 then ${accounts.admin.name} when 2 then ${accounts.billingAdmin.name} else f.name || ' ' || l.name end,
             case p.n when 1 then ${accounts.admin.email} when 2 then ${accounts.billingAdmin.email}
                  else lower(f.name || '.' || l.name) || '.' || p.n || ${`@${org.emailDomain}`} end,
             (case p.n when 1 then 'admin' when 2 then 'billing_admin' else 'member' end)::member_role,
             case when p.group_n is not null then pg_temp.det_uuid('billing_group', p.group_n) end,
             case p.n when 1 then ${adminHash} when 2 then ${billingHash} end,
             case when p.deactivated then ${nowIso}::timestamptz - interval '20 days' end,
             ${orgCreated.toISOString()}::timestamptz, ${orgCreated.toISOString()}::timestamptz
      from large_people p
      cross join lateral (select (array['Alex','Sam','Jordan','Taylor','Morgan','Riley','Casey','Jamie','Avery','Quinn','Noah','Mia','Liam','Zoe','Emile','Priya','Kenji','Olu','Sofia','Lars','Ines','Tomas','Aiko','Ravi','Lena'])[1 + floor(25 * pg_temp.rnd(p.n, 20))::int] as name) f
      cross join lateral (select (array['Nguyen','Garcia','Smith','Okafor','Kowalski','Muller','Tanaka','Rossi','Haddad','Johansson','Patel','OBrien','Dubois','Silva','Kim','Novak','Ivanova','Mensah','Costa','Larsen'])[1 + floor(20 * pg_temp.rnd(p.n, 21) ^ ${shape.surnameSkew}::float8)::int] as name) l
      order by p.n`);
    return rows.count;
  });

  // Billing groups and members reference each other; the creator is filled in once both exist.
  await step("billing group creators", async () => {
    const rows = await db.execute(sql`
      update billing_groups set created_by = pg_temp.det_uuid('member', 1),
             deleted_by = case when deleted_at is not null then pg_temp.det_uuid('member', 1) end
      where org_id = ${orgId}`);
    return rows.count;
  });

  // Members who may consume (a configured limit, active), numbered densely so an event can pick
  // one by a hash; low numbers are picked more often (heavy users).
  await step("consumer index", async () => {
    await db.execute(sql`drop table if exists pg_temp.large_consumers`);
    await db.execute(sql`
      create temp table large_consumers as
      select row_number() over (order by p.n)::int as rn, p.id,
             case when p.group_n is not null then pg_temp.det_uuid('billing_group', p.group_n) end as group_id,
             case when p.prev_group_n > 0 then pg_temp.det_uuid('billing_group', p.prev_group_n) end as prev_group_id,
             case when p.prev_group_n is not null then p.moved_at end as moved_at
      from large_people p where p.has_limit and not p.deactivated`);
    await db.execute(sql`create unique index on large_consumers (rn)`);
    await db.execute(sql`analyze large_consumers`);
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from large_consumers`);
    return row!.n;
  });

  const historicalEach = Math.floor((shape.eventsTotal - shape.eventsCurrentPeriod) / shape.historicalPeriods);
  let inserted = 0;
  for (const [index, period] of periods.entries()) {
    const isCurrent = index === periods.length - 1;
    const events = isCurrent ? shape.eventsCurrentPeriod : historicalEach;
    const start = monthStart(now, shape.historicalPeriods - index);
    const end = isCurrent ? now : monthStart(now, shape.historicalPeriods - index - 1);
    const base = (index + 1) * 10_000_000;
    await step(`usage events ${period}`, async () => {
      // Attributed as R21 would have: to the group the member was in at that moment. Inserted in
      // time order, as the metering API appends them.
      const rows = await bulk(() =>
        db.execute(sql`
        insert into usage_events (org_id, id, member_id, billing_group_id, period, credits, recorded_at)
        select ${orgId}, pg_temp.event_uuid(e.k, e.at), c.id,
               case when c.moved_at is not null and e.at < c.moved_at then c.prev_group_id else c.group_id end,
               ${period}, 1 + floor(2000 * pg_temp.rnd(e.k, 12) ^ 3)::bigint, e.at
        from (
          select k,
                 1 + floor((select count(*) from large_consumers) * pg_temp.rnd(k, 11) ^ 1.7)::int as rn,
                 ${start.toISOString()}::timestamptz + pg_temp.rnd(k, 13) * (${end.toISOString()}::timestamptz - ${start.toISOString()}::timestamptz) as at
          from generate_series(${base + 1}::bigint, ${base + events}::bigint) k
        ) e
        join large_consumers c on c.rn = e.rn
        order by e.at`),
      );
      inserted += rows.count;
      return rows.count;
    });
    log(`           ${inserted.toLocaleString("en-US")} / ${shape.eventsTotal.toLocaleString("en-US")} usage events`);
  }

  await step("usage rollups (member × group, member, group per period)", async () => {
    await bulk(() => rebuildUsageRollups(db, orgId));
  });

  await step("integrity check (every event and rollup references this org's members and billing groups)", async () => {
    const broken = await verifyLargeOrgIntegrity(db, orgId);
    if (broken > 0) throw new Error(`${broken} usage rows reference a member or billing group that does not exist.`);
  });

  // Limits are set after the fact, above what each member and group consumed in any period
  // (accepted totals never exceed a limit, R20); about 2% sit exactly at their limit, so some
  // members and groups are blocked right now, as in a real month.
  await step("personal limits", async () => {
    const rows = await db.execute(sql`
      update members m
      set personal_limit = case
            when u.peak is null then (50 + floor(450 * pg_temp.rnd(p.n, 30)))::bigint * 100
            when pg_temp.rnd(p.n, 31) < 0.02 then u.peak
            else ceil(u.peak * (1.05 + 0.75 * pg_temp.rnd(p.n, 32)) / 100.0)::bigint * 100 end
      from large_people p
      left join (select member_id, max(credits) as peak from member_period_usage where org_id = ${orgId} group by member_id) u on u.member_id = p.id
      where m.org_id = ${orgId} and m.id = p.id and p.has_limit`);
    return rows.count;
  });

  await step("billing group period limits (every other live group)", async () => {
    const rows = await db.execute(sql`
      update billing_groups b
      set period_limit = case when g.n % 20 = 0 then u.peak
                              else ceil(coalesce(u.peak, 100000) * (1.1 + 0.5 * pg_temp.rnd(g.n, 40)) / 10000.0)::bigint * 10000 end
      from generate_series(2, ${shape.billingGroups}, 2) g(n)
      left join (select billing_group_id, max(credits) as peak from group_period_usage where org_id = ${orgId} group by billing_group_id) u
        on u.billing_group_id = pg_temp.det_uuid('billing_group', g.n)
      where b.org_id = ${orgId} and b.id = pg_temp.det_uuid('billing_group', g.n) and (g.n % 20 <> 0 or u.peak is not null)`);
    return rows.count;
  });

  await step("groups", async () => {
    const rows = await db.execute(sql`
      insert into groups (org_id, id, name, description, created_by, created_at, updated_at)
      select ${orgId}, pg_temp.det_uuid('group', g), 'Team ' || lpad(g::text, 4, '0'),
             'Functional group ' || g, pg_temp.det_uuid('member', 1), ${orgCreated.toISOString()}::timestamptz, ${orgCreated.toISOString()}::timestamptz
      from generate_series(1, ${shape.groups}) g`);
    return rows.count;
  });

  await step("group memberships", async () => {
    // 7919 is prime to the member count, so k ↦ member is one-to-one and no pair repeats.
    const rows = await db.execute(sql`
      insert into group_memberships (org_id, group_id, member_id, added_by, added_at)
      select ${orgId}, pg_temp.det_uuid('group', 1 + floor(${shape.groups} * pg_temp.rnd(k, 50))::int),
             pg_temp.det_uuid('member', 1 + (k * 7919) % ${shape.members}), pg_temp.det_uuid('member', 1), ${orgCreated.toISOString()}::timestamptz
      from generate_series(1, ${shape.groupMemberships}) k`);
    return rows.count;
  });

  await step("finish", async () => {
    await db.execute(sql`update organizations set name = ${org.name} where id = ${orgId}`);
    await backdateSettingsHistory(db, orgId);
  });

  return {
    orgId,
    periods,
    members: shape.members,
    billingGroups: shape.billingGroups,
    groups: shape.groups,
    events: inserted,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Rows of usage events and rollups whose member or billing group is missing: must be 0. */
export async function verifyLargeOrgIntegrity(db: Database, orgId: string): Promise<number> {
  const [row] = await db.execute<{ broken: number }>(sql`
    select ((
      select count(*) from usage_events e
      where e.org_id = ${orgId}
        and (not exists (select 1 from members m where m.org_id = e.org_id and m.id = e.member_id)
          or (e.billing_group_id is not null and not exists (select 1 from billing_groups b where b.org_id = e.org_id and b.id = e.billing_group_id)))
    ) + (
      select count(*) from member_group_period_usage u
      where u.org_id = ${orgId}
        and (not exists (select 1 from members m where m.org_id = u.org_id and m.id = u.member_id)
          or (u.billing_group_id is not null and not exists (select 1 from billing_groups b where b.org_id = u.org_id and b.id = u.billing_group_id)))
    ) + (
      select count(*) from group_period_usage g
      where g.org_id = ${orgId} and g.billing_group_id is not null
        and not exists (select 1 from billing_groups b where b.org_id = g.org_id and b.id = g.billing_group_id)
    ))::int as broken`);
  return row!.broken;
}
