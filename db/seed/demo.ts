import { and, eq, sql } from "drizzle-orm";
import { hashPassword } from "../../lib/crypto/password";
import { now } from "../../lib/clock";
import { periodOf } from "../../lib/periods/rules";
import type { Database } from "../connection";
import { billingGroups, groupMemberships, groups, members, organizations, usageEvents } from "../schema";
import { seededRandom } from "./random";
import { backdateSettingsHistory, rebuildUsageRollups } from "./rollups";

export const DEMO_ORG_NAME = "Acme Corporation";

export const DEMO_ACCOUNTS = {
  admin: { email: "admin@example.com", password: "demo-admin", name: "Ada Admin" },
  billingAdmin: { email: "billing@example.com", password: "demo-billing", name: "Bill Ingram" },
  member: { email: "dev@example.com", password: "demo-member", name: "Devi Developer" },
} as const;

const FIRST = [
  "Alex",
  "Sam",
  "Jordan",
  "Taylor",
  "Morgan",
  "Riley",
  "Casey",
  "Jamie",
  "Avery",
  "Quinn",
  "Noah",
  "Mia",
  "Liam",
  "Zoë",
  "Émile",
  "Priya",
  "Kenji",
  "Olu",
  "Sofía",
  "Lars",
];
const LAST = [
  "Nguyen",
  "García",
  "Smith",
  "Okafor",
  "Kowalski",
  "Müller",
  "Tanaka",
  "Rossi",
  "Haddad",
  "Johansson",
  "Patel",
  "O'Brien",
  "Dubois",
  "Silva",
  "Kim",
];

/** First instant of the month `monthsBack` months before `instant` (UTC). */
function monthStart(instant: Date, monthsBack: number): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() - monthsBack, 1));
}

/**
 * SPEC §11 demo organization: 3 sign-in accounts, 40 members (some unassigned), 4 live billing
 * groups and 1 deleted one, 2 groups, usage in the current and two earlier periods.
 * Deterministic apart from "now". Returns the org id.
 */
export async function seedDemoOrganization(db: Database): Promise<string> {
  const rng = seededRandom(20261124);
  const today = now();
  const orgCreated = monthStart(today, 2);

  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: DEMO_ORG_NAME, createdAt: orgCreated })
      .returning({ id: organizations.id });
    const orgId = org!.id;

    const accounts = [
      { ...DEMO_ACCOUNTS.admin, role: "admin" as const },
      { ...DEMO_ACCOUNTS.billingAdmin, role: "billing_admin" as const },
      { ...DEMO_ACCOUNTS.member, role: "member" as const },
    ];
    const people: (typeof members.$inferInsert)[] = [];
    for (const account of accounts) {
      people.push({
        orgId,
        name: account.name,
        email: account.email,
        role: account.role,
        passwordHash: await hashPassword(account.password),
        personalLimit: 50_000n,
        createdAt: orgCreated,
      });
    }
    const usedEmails = new Set(people.map((p) => p.email));
    while (people.length < 40) {
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const base = `${first}.${last}`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z.]/g, "");
      let email = `${base}@example.com`;
      for (let n = 2; usedEmails.has(email); n++) email = `${base}${n}@example.com`;
      usedEmails.add(email);
      const limitRoll = rng.next();
      people.push({
        orgId,
        name: `${first} ${last}`,
        email,
        role: "member",
        // Most members have a limit; a few have none (cannot use Credits, R18).
        personalLimit: limitRoll < 0.1 ? null : BigInt(rng.pick([100, 250, 500, 1000])) * 100n,
        createdAt: orgCreated,
      });
    }
    const memberRows = await tx.insert(members).values(people).returning({ id: members.id });
    const adminId = memberRows[0]!.id;

    const groupDefs = [
      { name: "Engineering", description: "Product engineering cost center", periodLimit: 2_000_000n },
      { name: "Design", description: "Design and research", periodLimit: null },
      { name: "Sales", description: "Field sales and solutions", periodLimit: 500_000n },
      { name: "Data Science", description: "Models, notebooks, evaluation", periodLimit: 1_000_000n },
      { name: "Legacy Ops", description: "Retired operations team", periodLimit: null },
    ];
    const bgRows = await tx
      .insert(billingGroups)
      .values(groupDefs.map((g) => ({ ...g, orgId, createdBy: adminId, createdAt: orgCreated, updatedAt: orgCreated })))
      .returning({ id: billingGroups.id, name: billingGroups.name });
    const liveGroups = bgRows.slice(0, 4);
    const legacy = bgRows[4]!;

    // Members 0..33 get a billing group; the rest stay Unassigned.
    const assignment = new Map<string, string | null>();
    for (const [index, row] of memberRows.entries()) {
      const group = index < 34 ? liveGroups[index % liveGroups.length]!.id : null;
      assignment.set(row.id, group);
      if (group) {
        await tx.execute(
          sql`update members set billing_group_id = ${group} where org_id = ${orgId} and id = ${row.id}`,
        );
      }
    }

    // Usage: every member with a limit consumes in each of the three periods, well under limits.
    const events: (typeof usageEvents.$inferInsert)[] = [];
    for (let back = 2; back >= 0; back--) {
      const start = monthStart(today, back);
      const end = back === 0 ? today : monthStart(today, back - 1);
      const period = periodOf(start);
      for (const [index, row] of memberRows.entries()) {
        if (people[index]!.personalLimit == null || rng.next() < 0.15) continue;
        // Two periods ago a few members were still in the since-deleted Legacy Ops group.
        const group = back === 2 && index % 7 === 0 ? legacy.id : assignment.get(row.id)!;
        const count = rng.int(1, 4);
        for (let i = 0; i < count; i++) {
          const at = new Date(start.getTime() + rng.next() * (end.getTime() - start.getTime()));
          events.push({
            orgId,
            memberId: row.id,
            billingGroupId: group,
            period,
            credits: BigInt(rng.int(25, 2500)),
            recordedAt: at,
          });
        }
      }
    }
    await tx.insert(usageEvents).values(events);
    await rebuildUsageRollups(tx, orgId);

    await tx
      .update(billingGroups)
      .set({ deletedAt: monthStart(today, 1), deletedBy: adminId })
      .where(and(eq(billingGroups.orgId, orgId), eq(billingGroups.id, legacy.id)));

    const groupRows = await tx
      .insert(groups)
      .values([
        { orgId, name: "Platform Team", description: "Owns shared infrastructure", createdBy: adminId },
        { orgId, name: "Security Reviewers", description: "Approve access requests", createdBy: adminId },
      ])
      .returning({ id: groups.id });
    await tx
      .insert(groupMemberships)
      .values([
        ...memberRows.slice(3, 9).map((m) => ({ orgId, groupId: groupRows[0]!.id, memberId: m.id, addedBy: adminId })),
        ...memberRows.slice(6, 10).map((m) => ({ orgId, groupId: groupRows[1]!.id, memberId: m.id, addedBy: adminId })),
      ]);
    await backdateSettingsHistory(tx, orgId);
    return orgId;
  });
}

/** True when the database already has an organization (the seed runs on first start only). */
export async function hasAnyOrganization(db: Database): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length > 0;
}
