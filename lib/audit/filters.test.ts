import { describe, expect, it } from "vitest";
import { auditLogHref, parseAuditFilters } from "./filters";

const ADA = "0b8a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const HR_SYNC_KEY = "7f0c2d1e-3b4a-4c5d-9e8f-1a2b3c4d5e6f";
const OPTIONS = {
  actors: [
    { id: ADA, kind: "member" as const },
    { id: HR_SYNC_KEY, kind: "api_key" as const },
  ],
  actions: ["billing_group.created"],
  targetTypes: ["billing_group"],
};
const CURSOR = `2026-11-10T10:00:00.123456Z~${ADA}`;

describe("parseAuditFilters", () => {
  it("filters by an API key that made changes as by a member (R44)", () => {
    const { query, values, notes } = parseAuditFilters({ actor: HR_SYNC_KEY }, OPTIONS);
    expect(notes).toEqual([]);
    expect(query).toEqual({ actorApiKeyId: HR_SYNC_KEY });
    expect(values.actor).toBe(HR_SYNC_KEY);
    const unknown = parseAuditFilters({ actor: "7f0c2d1e-3b4a-4c5d-9e8f-000000000000" }, OPTIONS);
    expect(unknown.query).toEqual({});
    expect(unknown.notes[0]).toMatch(/not a member or API key with audit entries/);
  });

  it("applies known values; To covers its whole UTC day", () => {
    const { query, values, notes } = parseAuditFilters(
      {
        actor: ADA.toUpperCase(),
        action: "billing_group.created",
        targetType: "billing_group",
        q: " Platform ",
        from: "2026-11-01",
        to: "2026-11-02",
        older: CURSOR,
      },
      OPTIONS,
    );
    expect(notes).toEqual([]);
    expect(query).toEqual({
      actorId: ADA,
      action: "billing_group.created",
      targetType: "billing_group",
      target: "Platform",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-03T00:00:00Z"),
      before: { createdAt: "2026-11-10T10:00:00.123456Z", id: ADA },
    });
    expect(values).toEqual({
      actor: ADA,
      action: "billing_group.created",
      targetType: "billing_group",
      q: "Platform",
      from: "2026-11-01",
      to: "2026-11-02",
      import: "",
    });
  });

  it("filters by one import's id (R43), and notes anything that is not one", () => {
    const { query, values, notes } = parseAuditFilters({ import: ` ${ADA.toUpperCase()} ` }, OPTIONS);
    expect(notes).toEqual([]);
    expect(query).toEqual({ importId: ADA });
    expect(values.import).toBe(ADA);
    const bad = parseAuditFilters({ import: "last-tuesday" }, OPTIONS);
    expect(bad.query).toEqual({});
    expect(bad.notes).toEqual(["Ignored the Import filter: “last-tuesday” is not an import id."]);
    expect(auditLogHref(values)).toBe(`/audit-log?import=${ADA}`);
  });

  it("ignores unknown ids, actions, types, malformed dates and cursors with a note each", () => {
    const { query, notes } = parseAuditFilters(
      {
        actor: "not-an-id",
        action: "x.y",
        targetType: ["nope", "billing_group"],
        from: "2026-13-01",
        to: "yesterday",
        newer: "garbage",
      },
      OPTIONS,
    );
    expect(query).toEqual({});
    expect(notes).toHaveLength(6);
    expect(notes[3]).toBe("Ignored From: “2026-13-01” is not a date (YYYY-MM-DD).");
  });

  it("notes a From after To", () => {
    expect(parseAuditFilters({ from: "2026-11-05", to: "2026-11-01" }, OPTIONS).notes).toEqual([
      "From is after To, so no entry can match.",
    ]);
  });
});

describe("auditLogHref", () => {
  it("keeps the filters and sets one position", () => {
    expect(
      auditLogHref(
        { actor: "", action: "a.b", targetType: "", q: "x y", from: "", to: "", import: "" },
        { older: CURSOR },
      ),
    ).toBe(`/audit-log?action=a.b&q=x+y&${new URLSearchParams({ older: CURSOR }).toString()}`);
    expect(auditLogHref({ actor: "", action: "", targetType: "", q: "", from: "", to: "", import: "" })).toBe(
      "/audit-log",
    );
  });
});
