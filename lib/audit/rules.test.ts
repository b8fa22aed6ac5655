import { describe, expect, it } from "vitest";
import { addUtcDays, auditChanges, decodeCursor, encodeCursor, formatUtc, parseUtcDay } from "./rules";

describe("parseUtcDay", () => {
  it("accepts real calendar days only", () => {
    expect(parseUtcDay("2026-11-24")?.toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(parseUtcDay("2026-02-30")).toBeNull();
    expect(parseUtcDay("24/11/2026")).toBeNull();
    expect(parseUtcDay("2026-11-24T00:00")).toBeNull();
    expect(addUtcDays(parseUtcDay("2026-12-31")!, 1).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("cursors", () => {
  it("round-trip with microseconds and reject anything else", () => {
    const cursor = { createdAt: "2026-11-10T10:00:00.123456Z", id: "0b8a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor("2026-11-10T10:00:00.123Z~0b8a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")).toBeNull();
    expect(decodeCursor("2026-11-10T10:00:00.123456Z~not-a-uuid-at-all-0000000000000000")).toBeNull();
    expect(decodeCursor("'; drop table audit_log; --")).toBeNull();
  });
});

describe("auditChanges", () => {
  it("shows only changed keys with old → new", () => {
    expect(
      auditChanges({ name: "A", description: "x", limit: "100.00" }, { name: "B", description: "x", limit: null }),
    ).toEqual([
      { key: "name", before: "A", after: "B" },
      { key: "limit", before: "100.00", after: "—" },
    ]);
  });

  it("treats a creation as — → value and a deletion as value → —", () => {
    expect(auditChanges(null, { name: "A", tags: ["x"] })).toEqual([
      { key: "name", before: "—", after: "A" },
      { key: "tags", before: "—", after: '["x"]' },
    ]);
    expect(auditChanges({ active: true }, null)).toEqual([{ key: "active", before: "true", after: "—" }]);
    expect(auditChanges(null, null)).toEqual([]);
  });

  it("compares non-object snapshots as a single value", () => {
    expect(auditChanges("admin", "member")).toEqual([{ key: "value", before: "admin", after: "member" }]);
  });
});

describe("formatUtc", () => {
  it("prints seconds in UTC", () => {
    expect(formatUtc(new Date("2026-11-24T11:22:49.500Z"))).toBe("2026-11-24 11:22:49 UTC");
  });
});
