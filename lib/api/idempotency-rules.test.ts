import { describe, expect, it } from "vitest";
import { adminRequestHash, readIdempotencyKey } from "./idempotency-rules";

const headers = (value?: string) => new Headers(value === undefined ? {} : { "Idempotency-Key": value });

describe("Idempotency-Key on the admin API (R44)", () => {
  it("is optional, trimmed, and at most 200 printable characters", () => {
    expect(readIdempotencyKey(headers())).toEqual({ ok: true, key: null });
    expect(readIdempotencyKey(headers(" hr-sync-42 "))).toEqual({ ok: true, key: "hr-sync-42" });
    expect(readIdempotencyKey(headers("k".repeat(200)))).toEqual({ ok: true, key: "k".repeat(200) });
    for (const bad of ["", "   ", "k".repeat(201), "a\u007fb"])
      expect(readIdempotencyKey(headers(bad)).ok, JSON.stringify(bad)).toBe(false);
  });

  it("treats the same body in another field order as the same request, and anything else as another", () => {
    const op = "POST /api/v1/billing-groups";
    const same = adminRequestHash(op, { name: "Research", description: "R&D" });
    expect(adminRequestHash(op, { description: "R&D", name: "Research" })).toBe(same);
    expect(adminRequestHash(op, { name: "Research", description: "R&D ", extra: undefined })).not.toBe(same);
    expect(adminRequestHash(op, { name: "research", description: "R&D" })).not.toBe(same);
    expect(
      adminRequestHash("POST /api/v1/billing-groups/{id}/members", { name: "Research", description: "R&D" }),
    ).not.toBe(same);
    expect(adminRequestHash(op, { members: ["a", "b"] })).not.toBe(adminRequestHash(op, { members: ["b", "a"] }));
  });
});
