import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { members } from "@/db/schema";
import { createBillingGroup, createMember, createOrg, insertRollups, testDb } from "@/tests/support/db";

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const PERIOD = "2026-10";
const HEADER = "Billing Group,Member Name,Email,Credits Consumption\r\n";

let orgId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const org = await createOrg("Export Fixture", new Date("2026-08-03T00:00:00Z"));
  orgId = org.id;
  const evil = await createBillingGroup(orgId, { name: "=Evil" });
  const alpha = await createBillingGroup(orgId, { name: "alpha" });
  const beta = await createBillingGroup(orgId, { name: "Beta, Inc." });
  const zeta = await createBillingGroup(orgId, { name: "Zeta (old)" });
  Object.assign(ids, { evil: evil.id, alpha: alpha.id, beta: beta.id, zeta: zeta.id });
  const person = (name: string, email: string) => createMember(orgId, { name, email });
  const ann = await person('Ann "Nan" Lee', "ann@example.com");
  const emile = await person("Émile Zola", "emile@example.com");
  const line = await person("Line\nBreak", "line@example.com");
  const plus = await person("+Plus", "plus@example.com");
  const at = await person("@At", "at@example.com");
  const minus = await person("-Minus", "minus@example.com");
  const tab = await person("\tTab", "tab@example.com");
  const cr = await person("\rCR", "cr@example.com");
  const rollup = (memberId: string, billingGroupId: string | null, credits: bigint, period = PERIOD) => ({
    memberId,
    billingGroupId,
    credits,
    period,
  });
  await insertRollups(orgId, [
    // Ann moved mid-period: usage in two billing groups (R21).
    rollup(ann.id, alpha.id, 1250n),
    rollup(ann.id, beta.id, 300n),
    rollup(emile.id, alpha.id, 25n),
    rollup(line.id, evil.id, 100n),
    rollup(plus.id, null, 705n),
    rollup(at.id, null, 200n),
    rollup(minus.id, zeta.id, 410n),
    // Zero consumption never appears (R25).
    rollup(tab.id, beta.id, 0n),
    rollup(cr.id, beta.id, 100n),
    // Another period's usage stays out.
    rollup(ann.id, alpha.id, 9999n, "2026-09"),
  ]);
  // R13: the group is deleted after its usage was recorded; its rows keep its name.
  await testDb().execute(sql`update billing_groups set deleted_at = now() where org_id = ${orgId} and id = ${zeta.id}`);
});

async function download(billingGroup: string | null, period: string | null = PERIOD) {
  const { billCsvResponse } = await import("./service");
  const response = await billCsvResponse({ orgId, period, billingGroup });
  return {
    text: await response.text(),
    disposition: response.headers.get("content-disposition"),
    type: response.headers.get("content-type"),
  };
}

describe("CSV bills (R24–R27)", () => {
  it("exports every billing group, Unassigned last, in the exact R25 format", async () => {
    const { text, disposition, type } = await download("all");
    expect(text).toBe(
      HEADER +
        '"\'=Evil","Line\nBreak",line@example.com,1\r\n' +
        'alpha,"Ann ""Nan"" Lee",ann@example.com,12.5\r\n' +
        "alpha,Émile Zola,emile@example.com,0.25\r\n" +
        '"Beta, Inc.","\'\rCR",cr@example.com,1\r\n' +
        '"Beta, Inc.","Ann ""Nan"" Lee",ann@example.com,3\r\n' +
        'Zeta (old),"\'-Minus",minus@example.com,4.1\r\n' +
        'Unassigned,"\'+Plus",plus@example.com,7.05\r\n' +
        'Unassigned,"\'@At",at@example.com,2\r\n',
    );
    expect(type).toBe("text/csv; charset=utf-8");
    expect(disposition).toContain('filename="billing-group-bills_2026-10_all.csv"');
  });

  it("exports a single billing group", async () => {
    const { text, disposition } = await download(ids.alpha!);
    expect(text).toBe(
      `${HEADER}alpha,"Ann ""Nan"" Lee",ann@example.com,12.5\r\nalpha,Émile Zola,emile@example.com,0.25\r\n`,
    );
    expect(disposition).toContain("billing-group-bills_2026-10_alpha.csv");
  });

  it("exports Unassigned alone", async () => {
    const { text, disposition } = await download("unassigned");
    expect(text).toBe(`${HEADER}Unassigned,"'+Plus",plus@example.com,7.05\r\nUnassigned,"'@At",at@example.com,2\r\n`);
    expect(disposition).toContain("billing-group-bills_2026-10_unassigned.csv");
  });

  it("still exports a deleted billing group under its name", async () => {
    const { text } = await download(ids.zeta!);
    expect(text).toBe(`${HEADER}Zeta (old),"'-Minus",minus@example.com,4.1\r\n`);
  });

  it("exports only the header for a period without usage", async () => {
    const { text, disposition } = await download("all", "2026-08");
    expect(text).toBe(HEADER);
    expect(disposition).toContain("billing-group-bills_2026-08_all.csv");
  });

  it("refuses a period outside the org's history, and unknown scopes", async () => {
    const { billCsvResponse } = await import("./service");
    await expect(billCsvResponse({ orgId, period: "2026-07", billingGroup: "all" })).rejects.toThrow(/period must be/);
    await expect(billCsvResponse({ orgId, period: "2026-13", billingGroup: "all" })).rejects.toThrow(/period must be/);
    await expect(billCsvResponse({ orgId, period: PERIOD, billingGroup: "nope" })).rejects.toThrow(
      /billingGroup must be/,
    );
    await expect(
      billCsvResponse({ orgId, period: PERIOD, billingGroup: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toThrow(/no longer exists/);
  });

  it("never exports another org's rows, even given its group id", async () => {
    const other = await createOrg("Other", new Date("2026-01-01T00:00:00Z"));
    const { billCsvResponse } = await import("./service");
    await expect(billCsvResponse({ orgId: other.id, period: PERIOD, billingGroup: ids.alpha! })).rejects.toThrow(
      /no longer exists/,
    );
    const response = await billCsvResponse({ orgId: other.id, period: PERIOD, billingGroup: "all" });
    expect(await response.text()).toBe(HEADER);
  });

  it("previews the same figures the file holds", async () => {
    const { billPreview } = await import("./service");
    const preview = await billPreview({ orgId, period: PERIOD, billingGroup: "all" });
    expect(preview.rowCount).toBe(8);
    expect(preview.totalCredits).toBe("30.9");
    expect(preview.totals).toEqual([
      { billingGroup: "=Evil", rows: 1, credits: "1" },
      { billingGroup: "alpha", rows: 2, credits: "12.75" },
      { billingGroup: "Beta, Inc.", rows: 2, credits: "4" },
      { billingGroup: "Zeta (old)", rows: 1, credits: "4.1" },
      { billingGroup: "Unassigned", rows: 2, credits: "9.05" },
    ]);
    expect(preview.rows[1]).toEqual({
      billingGroup: "alpha",
      memberName: 'Ann "Nan" Lee',
      email: "ann@example.com",
      credits: "12.5",
    });
    expect(preview.fileName).toBe("billing-group-bills_2026-10_all.csv");
  });

  it("previews exactly the file's first rows for any preview length and scope, across group boundaries", async () => {
    const { getBillPreview, resolveBillScope } = await import("./queries");
    const { billCsvResponse } = await import("./service");
    const Papa = (await import("papaparse")).default;
    for (const billingGroup of ["all", "unassigned", ids.alpha!]) {
      const scope = await resolveBillScope(testDb(), { orgId, billingGroup });
      const file = await (await billCsvResponse({ orgId, period: PERIOD, billingGroup })).text();
      // The file's rows as the preview shows them (the file neutralises formulas with a quote).
      const fileRows = Papa.parse<string[]>(file.trimEnd(), { newline: "\r\n" }).data.slice(1);
      for (const limit of [1, 2, 3, 4, 5, 8, 20]) {
        const preview = await testDb().transaction((tx) => getBillPreview(tx, { orgId, period: PERIOD, scope, limit }));
        const expected = fileRows.slice(0, limit);
        expect(preview.rows.length, `${billingGroup} limit ${limit}`).toBe(expected.length);
        preview.rows.forEach((row, i) => {
          expect(expected[i]![0]!.replace(/^'/, "")).toBe(row.billingGroup);
          expect(expected[i]![2]).toBe(row.email);
          expect(expected[i]![3]).toBe(row.credits);
        });
        expect(preview.rowCount).toBe(fileRows.length);
      }
    }
  });

  it("streams in batches that concatenate to the same file", async () => {
    const { billCsvChunks, resolveBillScope } = await import("./queries");
    const { getDb } = await import("@/db");
    const scope = await resolveBillScope(testDb(), { orgId, billingGroup: "all" });
    const chunks: string[] = [];
    for await (const chunk of billCsvChunks(getDb().$client, { orgId, period: PERIOD, scope, batchSize: 3 }))
      chunks.push(chunk);
    expect(chunks.length).toBe(1 + 3);
    expect(chunks.join("")).toBe((await download("all")).text);
  });
});

describe("CSV bill streaming (R28)", () => {
  it("writes every Credits figure exactly as formatCredits does", async () => {
    // Every fraction and some large figures, up to the bigint maximum: the rows reach the writer
    // as arrays of bigint, not through the preview's objects.
    const { formatCredits } = await import("@/lib/credits/rules");
    const org = await createOrg("Credits formats", new Date("2026-01-01T00:00:00Z"));
    const group = await createBillingGroup(org.id, { name: "G" });
    const figures = [
      ...Array.from({ length: 1_100 }, (_, i) => BigInt(i + 1)),
      12_345n,
      1_000_000n,
      123_456_789_012n,
      9_223_372_036_854_775_807n,
    ];
    const people = await testDb()
      .insert(members)
      .values(
        figures.map((_, i) => ({ orgId: org.id, name: `P${i}`, email: `p${String(i).padStart(5, "0")}@example.com` })),
      )
      .returning({ id: members.id, email: members.email });
    await insertRollups(
      org.id,
      people.map((p, i) => ({ period: PERIOD, memberId: p.id, billingGroupId: group.id, credits: figures[i]! })),
    );
    const { billCsvResponse } = await import("./service");
    const text = await (await billCsvResponse({ orgId: org.id, period: PERIOD, billingGroup: "all" })).text();
    const written = new Map(
      text
        .split("\r\n")
        .slice(1, -1)
        .map((line) => [line.split(",")[2], line.split(",")[3]]),
    );
    expect(written.size).toBe(figures.length);
    for (const [i, p] of people.entries()) expect(written.get(p.email)).toBe(formatCredits(figures[i]!));
  });

  it("releases its connection when the reader stops early", async () => {
    const { billCsvChunks, resolveBillScope } = await import("./queries");
    const { getDb } = await import("@/db");
    const scope = await resolveBillScope(testDb(), { orgId, billingGroup: "all" });
    // Stop after the header and one batch, while the next batch is already on its way.
    for (let attempt = 0; attempt < 3; attempt++) {
      let seen = 0;
      for await (const chunk of billCsvChunks(getDb().$client, { orgId, period: PERIOD, scope, batchSize: 2 })) {
        expect(chunk.length).toBeGreaterThan(0);
        if (++seen === 2) break;
      }
    }
    // Cancelling the byte stream takes the same path.
    const { billCsvResponse } = await import("./service");
    const response = await billCsvResponse({ orgId, period: PERIOD, billingGroup: "all" });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    // The pool still serves whole files afterwards (a stuck portal would hang here).
    expect((await download("all")).text.startsWith(`${HEADER}"'=Evil"`)).toBe(true);
  });
});

describe("export API (R32a)", () => {
  it("serves exactly the console's bytes for the same period and scope", async () => {
    const { createApiKeyFor, apiRequest } = await import("@/tests/support/api");
    const route = await import("@/app/api/v1/billing-groups/export/route");
    const key = await createApiKeyFor(orgId);
    for (const scope of ["all", "unassigned", ids.alpha!, ids.zeta!]) {
      const response = await route.GET(
        apiRequest(`/api/v1/billing-groups/export?period=${PERIOD}&billingGroup=${scope}`, { key: key.secret }),
      );
      expect(response.status).toBe(200);
      const fromConsole = await download(scope);
      expect(await response.text()).toBe(fromConsole.text);
      expect(response.headers.get("content-disposition")).toBe(fromConsole.disposition);
    }
  });

  it("refuses a missing key, bad input, and another org's key reading this org's group", async () => {
    const { createApiKeyFor, apiRequest, send } = await import("@/tests/support/api");
    const route = await import("@/app/api/v1/billing-groups/export/route");
    expect((await send(route.GET, apiRequest(`/api/v1/billing-groups/export?period=${PERIOD}`))).status).toBe(401);
    const key = await createApiKeyFor(orgId);
    const badPeriod = await send(
      route.GET,
      apiRequest(`/api/v1/billing-groups/export?period=2026-13`, { key: key.secret }),
    );
    expect(badPeriod).toMatchObject({ status: 400, body: { error: "invalid_input" } });
    const otherKey = await createApiKeyFor((await createOrg("Other", new Date("2026-01-01T00:00:00Z"))).id);
    const foreign = await send(
      route.GET,
      apiRequest(`/api/v1/billing-groups/export?period=${PERIOD}&billingGroup=${ids.alpha}`, { key: otherKey.secret }),
    );
    expect(foreign).toMatchObject({ status: 404, body: { error: "not_found" } });
  });
});
