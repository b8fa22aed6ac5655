import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

// R43 end to end below the session cookie, on real PostgreSQL as the runtime role: the console
// routes (origin check, period, upload stream), the access layer, the service's locks and writes.

const preview = await import("@/app/api/console/members/import/preview/route");
const apply = await import("@/app/api/console/members/import/apply/route");
const assignments = await import("@/app/api/console/members/assignments/route");
const { assignBillingGroup } = await import("@/lib/members/access");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { deleteBillingGroup } = await import("@/lib/billing-groups/access");

type Preview = {
  rows: { line: number; email: string; move: unknown; limit: unknown; errors: string[] }[];
  totals: { move: number; setLimit: number; noChange: number; error: number };
  changes: number;
  fingerprint: string;
};
type Applied = { importId: string | null; moved: number; limitsSet: number; unchanged: number };

const PERIOD = periodOf(now());
const HEADER = "Email,Billing Group,Personal Usage Limit\r\n";
const orgs: string[] = [];

function csvRequest(path: string, csv: string, query: Record<string, string>) {
  return new Request(`http://localhost/api/console/members/${path}?${new URLSearchParams(query).toString()}`, {
    method: "POST",
    headers: { "content-type": "text/csv", host: "localhost", origin: "http://localhost" },
    body: csv,
  });
}

async function previewOf(csv: string): Promise<Preview> {
  const response = await preview.POST(csvRequest("import/preview", csv, { period: PERIOD }));
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Preview;
}

async function applyOf(csv: string, fingerprint: string) {
  const response = await apply.POST(csvRequest("import/apply", csv, { period: PERIOD, fingerprint }));
  return { status: response.status, body: (await response.json()) as Applied & { error?: string; message?: string } };
}

async function newOrg() {
  const org = await createOrg(`Import ${Date.now()}`, new Date("2026-01-01T00:00:00Z"));
  orgs.push(org.id);
  const admin = await createMember(org.id, { role: "admin", name: "Import Admin" });
  signInAs(admin);
  return { orgId: org.id, admin };
}

/** `count` members named bulk<i>@<tag>.test in `groupId`, with a 100-Credit limit, in one statement. */
async function bulkMembers(orgId: string, tag: string, count: number, groupId: string | null) {
  await testDb().execute(sql`
    insert into members (org_id, name, email, personal_limit, billing_group_id)
    select ${orgId}, 'Bulk ' || i, 'bulk' || i || '@' || ${tag} || '.test', 10000, ${groupId}::uuid
    from generate_series(1, ${count}) i`);
  return Array.from({ length: count }, (_, i) => `bulk${i + 1}@${tag}.test`);
}

const csvOf = (lines: string[]) => HEADER + lines.map((line) => `${line}\r\n`).join("");

async function stateOf(orgId: string) {
  return testDb().execute<{ email: string; billing_group_id: string | null; personal_limit: string | null }>(sql`
    select email, billing_group_id, personal_limit::text from members where org_id = ${orgId} order by email`);
}

async function auditOf(orgId: string) {
  return testDb().execute<{ action: string; target_id: string; before: unknown; after: Record<string, unknown> }>(sql`
    select action, target_id, before, after from audit_log where org_id = ${orgId} order by created_at, id`);
}

afterAll(async () => {
  signInAs(null);
  for (const orgId of orgs) await testDb().execute(sql`delete from organizations where id = ${orgId}`);
});

describe("Apply (R43)", () => {
  let orgId: string;
  let from: { id: string };
  let to: { id: string; name: string };
  let emails: string[];

  beforeAll(async () => {
    ({ orgId } = await newOrg());
    from = await createBillingGroup(orgId, { name: "From" });
    to = await createBillingGroup(orgId, { name: "To" });
    emails = await bulkMembers(orgId, "big", 50_000, from.id);
  });

  it("applies a 50,000-row file in one transaction, one audit entry per change with one import id", async () => {
    const csv = csvOf(emails.map((email, i) => `${email},to,${i % 2 === 0 ? "12.5" : ""}`));
    const seen = await previewOf(csv);
    expect(seen.totals).toEqual({ move: 50_000, setLimit: 25_000, noChange: 0, error: 0 });
    expect(seen.rows).toHaveLength(50_000);
    expect(seen.rows[0]).toEqual({
      line: 2,
      email: "bulk1@big.test",
      member: "Bulk 1",
      move: { from: "From", to: "To" },
      limit: { from: "100", to: "12.5" },
      errors: [],
    });

    const { status, body } = await applyOf(csv, seen.fingerprint);
    expect(status).toBe(200);
    expect(body).toMatchObject({ moved: 50_000, limitsSet: 25_000, unchanged: 0 });

    const [moved] = await testDb().execute<{ n: number; transactions: number; limits: number }>(sql`
      select count(*)::int as n, count(distinct xmin::text)::int as transactions,
             count(*) filter (where personal_limit = 1250)::int as limits
      from members where org_id = ${orgId} and billing_group_id = ${to.id}`);
    expect(moved).toEqual({ n: 50_000, transactions: 1, limits: 25_000 });
    const [audit] = await testDb().execute<{ n: number; imports: number; moves: number; stamps: number }>(sql`
      select count(*)::int as n, count(distinct after ->> 'importId')::int as imports,
             count(*) filter (where action = 'member.billing_group_assigned')::int as moves,
             count(distinct created_at)::int as stamps
      from audit_log where org_id = ${orgId} and after ->> 'importId' = ${body.importId}`);
    expect(audit).toEqual({ n: 75_000, imports: 1, moves: 50_000, stamps: 1 });
  });

  it("writes the same entries a single assignment and limit change write, plus the import id", async () => {
    const [move] = await testDb().execute<{ target_label: string; before: unknown; after: unknown }>(sql`
      select target_label, before, after from audit_log
      where org_id = ${orgId} and action = 'member.billing_group_assigned' and target_label like 'Bulk 1 <%' limit 1`);
    const [limit] = await testDb().execute<{ before: unknown; after: unknown }>(sql`
      select before, after from audit_log
      where org_id = ${orgId} and action = 'member.personal_limit_set' and target_label like 'Bulk 1 <%' limit 1`);
    const importId = (move!.after as { importId: string }).importId;
    expect(move).toEqual({
      target_label: "Bulk 1 <bulk1@big.test>",
      before: { billingGroupId: from.id, billingGroup: "From" },
      after: { billingGroupId: to.id, billingGroup: "To", importId },
    });
    expect(limit).toEqual({ before: { personalLimit: "100" }, after: { personalLimit: "12.5", importId } });

    // The Audit Log's Import filter: that import's entries only, newest first, a page at a time.
    const { listAuditEntries } = await import("@/lib/audit/queries");
    const page = await listAuditEntries(testDb(), { orgId, importId });
    expect(page.rows).toHaveLength(50);
    expect(page.older).not.toBeNull();
    for (const row of page.rows) expect((row.after as { importId: string }).importId).toBe(importId);
    expect((await listAuditEntries(testDb(), { orgId, importId: crypto.randomUUID() })).rows).toEqual([]);
  });

  it("applying the same file again changes nothing", async () => {
    const csv = csvOf(emails.slice(0, 1_000).map((email, i) => `${email},To,${i % 2 === 0 ? "12.5" : ""}`));
    const before = await stateOf(orgId);
    const audit = (await auditOf(orgId)).length;
    const seen = await previewOf(csv);
    expect(seen.totals).toEqual({ move: 0, setLimit: 0, noChange: 1_000, error: 0 });
    expect(seen.changes).toBe(0);
    const again = await applyOf(csv, seen.fingerprint);
    expect(again).toEqual({ status: 200, body: { importId: null, moved: 0, limitsSet: 0, unchanged: 1_000 } });
    expect(await stateOf(orgId)).toEqual(before);
    expect((await auditOf(orgId)).length).toBe(audit);
  });
});

describe("All or nothing, and nothing unseen (R43)", () => {
  let orgId: string;
  let admin: Awaited<ReturnType<typeof createMember>>;
  let design: { id: string; name: string };
  let sales: { id: string; name: string };
  let emails: string[];

  beforeAll(async () => {
    ({ orgId, admin } = await newOrg());
    design = await createBillingGroup(orgId, { name: "Design" });
    sales = await createBillingGroup(orgId, { name: "Sales" });
    emails = await bulkMembers(orgId, "few", 6, null);
  });

  it("a file with one bad row applies nothing", async () => {
    const csv = csvOf([`${emails[0]},Design,1`, `${emails[1]},Sales,`, `${emails[2]},,ten`, `${emails[3]},,2`]);
    const before = await stateOf(orgId);
    const seen = await previewOf(csv);
    expect(seen.totals).toEqual({ move: 2, setLimit: 2, noChange: 0, error: 1 });
    expect(seen.rows[2]!.errors).toEqual([
      "Personal Usage Limit “ten” is not Credits: use a number with at most 2 decimals, e.g. 250 or 12.5.",
    ]);
    const refused = await applyOf(csv, seen.fingerprint);
    expect(refused).toEqual({
      status: 400,
      body: {
        error: "invalid_input",
        message: "Some rows have errors: fix them in the file and preview it again.",
        requestId: expect.any(String),
      },
    });
    expect(await stateOf(orgId)).toEqual(before);
    expect(await auditOf(orgId)).toEqual([]);
  });

  it("refuses Apply when a member moved since the preview, and the new preview shows it", async () => {
    const csv = csvOf([`${emails[0]},Design,`, `${emails[1]},Design,`]);
    const seen = await previewOf(csv);
    expect(seen.totals.move).toBe(2);
    const [moved] = await testDb().execute<{ id: string }>(
      sql`select id from members where org_id = ${orgId} and email = ${emails[0]!}`,
    );
    await assignBillingGroup(memberPrincipal({ ...admin, orgName: "", orgCreatedAt: new Date() }), {
      memberIds: [moved!.id],
      billingGroupId: design.id,
    });
    const before = await stateOf(orgId);
    const audit = (await auditOf(orgId)).length;
    const refused = await applyOf(csv, seen.fingerprint);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: "stale_write",
      message:
        "Members or billing groups changed since the preview, so nothing was applied. The preview has been recomputed: check it and press Apply again.",
      requestId: expect.any(String),
    });
    expect(await stateOf(orgId)).toEqual(before);
    expect((await auditOf(orgId)).length).toBe(audit);
    expect((await previewOf(csv)).totals).toEqual({ move: 1, setLimit: 0, noChange: 1, error: 0 });
  });

  it("refuses Apply when a billing group of the file was deleted since the preview (R38)", async () => {
    const doomed = await createBillingGroup(orgId, { name: "Doomed" });
    const csv = csvOf([`${emails[4]},Doomed,`]);
    const seen = await previewOf(csv);
    await deleteBillingGroup(memberPrincipal({ ...admin, orgName: "", orgCreatedAt: new Date() }), {
      id: doomed.id,
      confirmName: "Doomed",
    });
    expect((await applyOf(csv, seen.fingerprint)).status).toBe(409);
    const again = await previewOf(csv);
    expect(again.rows[0]!.errors).toEqual(["The billing group “Doomed” was deleted."]);
    const [row] = await testDb().execute<{ billing_group_id: string | null }>(
      sql`select billing_group_id from members where org_id = ${orgId} and email = ${emails[4]!}`,
    );
    expect(row!.billing_group_id).toBeNull();
  });

  it("refuses a historical period, a missing fingerprint, and a request from another site", async () => {
    const csv = csvOf([`${emails[5]},Sales,`]);
    const seen = await previewOf(csv);
    const stale = await apply.POST(
      csvRequest("import/apply", csv, { period: "2026-01", fingerprint: seen.fingerprint }),
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).error).toBe("stale_period");
    const bare = await apply.POST(csvRequest("import/apply", csv, { period: PERIOD }));
    expect(bare.status).toBe(400);
    const forged = csvRequest("import/apply", csv, { period: PERIOD, fingerprint: seen.fingerprint });
    forged.headers.set("origin", "https://evil.example");
    expect((await apply.POST(forged)).status).toBe(403);
    const [row] = await testDb().execute<{ billing_group_id: string | null }>(
      sql`select billing_group_id from members where org_id = ${orgId} and email = ${emails[5]!}`,
    );
    expect(row!.billing_group_id).toBeNull();
    expect(sales.name).toBe("Sales");
  });
});

describe("Concurrent Apply (R43, R9, R12)", () => {
  it("two files touching the same members serialise: no deadlock, no lost update", async () => {
    const { orgId } = await newOrg();
    const g1 = await createBillingGroup(orgId, { name: "G1" });
    const g2 = await createBillingGroup(orgId, { name: "G2" });
    const g3 = await createBillingGroup(orgId, { name: "G3" });
    const emails = await bulkMembers(orgId, "race", 3_000, null);

    // Different columns of the same members: both apply, both changes stay.
    const moves = csvOf(emails.map((email) => `${email},G1,`));
    const limits = csvOf(emails.map((email) => `${email},,7`));
    const [seenMoves, seenLimits] = [await previewOf(moves), await previewOf(limits)];
    const both = await Promise.all([applyOf(moves, seenMoves.fingerprint), applyOf(limits, seenLimits.fingerprint)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const [kept] = await testDb().execute<{ n: number }>(sql`
      select count(*)::int as n from members where org_id = ${orgId} and billing_group_id = ${g1.id} and personal_limit = 700`);
    expect(kept!.n).toBe(3_000);

    // The same column to different values: one applies, the other is refused as stale (its preview
    // showed moves from G1 that no longer exist), and its group is nowhere.
    const toG2 = csvOf(emails.map((email) => `${email},G2,`));
    const toG3 = csvOf(emails.map((email) => `${email},G3,`));
    const [seen2, seen3] = [await previewOf(toG2), await previewOf(toG3)];
    const race = await Promise.all([applyOf(toG2, seen2.fingerprint), applyOf(toG3, seen3.fingerprint)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race[0]!.status === 200 ? g2.id : g3.id;
    const groups = await testDb().execute<{ billing_group_id: string; n: number }>(sql`
      select billing_group_id, count(*)::int as n from members
      where org_id = ${orgId} and email like '%@race.test' group by 1`);
    expect(groups).toEqual([{ billing_group_id: winner, n: 3_000 }]);
    const [entries] = await testDb().execute<{ imports: number }>(sql`
      select count(distinct after ->> 'importId')::int as imports from audit_log where org_id = ${orgId}`);
    expect(entries!.imports).toBe(3);
  });
});

describe("Download current assignments (R43)", () => {
  it("writes every active member in the import's format, and importing it back changes nothing", async () => {
    const { orgId } = await newOrg();
    const ops = await createBillingGroup(orgId, { name: "=Ops" });
    await createMember(orgId, { email: "a@round.test", billingGroupId: ops.id, personalLimit: 1_250n });
    await createMember(orgId, { email: "b@round.test", personalLimit: null });
    await createMember(orgId, { email: "-c@round.test", personalLimit: 0n });
    await createMember(orgId, { email: "gone@round.test", deactivatedAt: new Date() });
    const response = await assignments.GET(new Request("http://localhost/api/console/members/assignments"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="member-assignments_/);
    // Bytes as sent: Response.text() would drop the BOM that spreadsheets need to read UTF-8.
    const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    const lines = csv.split("\r\n");
    expect(lines.slice(0, 1)).toEqual(["\ufeffEmail,Billing Group,Personal Usage Limit"]);
    expect(lines).toEqual(
      expect.arrayContaining([
        '"\'-c@round.test",Unassigned,0',
        'a@round.test,"\'=Ops",12.5',
        "b@round.test,Unassigned,",
      ]),
    );
    expect(csv).not.toContain("gone@round.test");
    const seen = await previewOf(csv);
    expect(seen.totals).toMatchObject({ move: 0, setLimit: 0, error: 0 });
    expect(seen.totals.noChange).toBe(lines.length - 2);
  });
});
