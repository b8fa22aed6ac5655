import { describe, expect, it } from "vitest";
import { z } from "zod";
import { addMemberSchema, assignBillingGroupSchema, setPersonalLimitSchema } from "./schemas";

const id = "5b0c6f36-4a43-4c1f-9a51-0d1c2a9f8e11";

describe("member schemas (R2, R17, R18)", () => {
  it("parses a Personal Usage Limit in Credits with at most 2 decimals; empty = not configured", () => {
    const limit = (personalLimit: string) =>
      setPersonalLimitSchema.safeParse({ memberIds: [id], personalLimit, period: "2026-11" });
    expect(limit("12.5").data?.personalLimit).toBe(1250n);
    expect(limit(" 0 ").data?.personalLimit).toBe(0n);
    expect(limit("").data?.personalLimit).toBeNull();
    for (const bad of ["1.234", "-1", "abc", "1e3", "1,5"]) expect(limit(bad).success, bad).toBe(false);
  });

  it("trims the name, checks the email, and maps Unassigned to null", () => {
    const ok = addMemberSchema.parse({
      name: " A ",
      email: " a@b.co ",
      role: "member",
      personalLimit: "3",
      billingGroupId: "unassigned",
      period: "2026-11",
    });
    expect(ok).toMatchObject({ name: "A", email: "a@b.co", personalLimit: 300n, billingGroupId: null });
    expect(addMemberSchema.parse({ name: "A", email: "a@b.co", role: "admin", period: "x" })).toMatchObject({
      personalLimit: null,
      billingGroupId: null,
    });
    const bad = addMemberSchema.safeParse({
      name: "",
      email: "nope",
      role: "owner",
      personalLimit: "1.234",
      period: "x",
    });
    expect(Object.keys(z.flattenError(bad.error!).fieldErrors).sort()).toEqual([
      "email",
      "name",
      "personalLimit",
      "role",
    ]);
  });

  it("needs at least one member and a real billing group id", () => {
    expect(assignBillingGroupSchema.safeParse({ memberIds: [], billingGroupId: "", period: "x" }).success).toBe(false);
    expect(
      assignBillingGroupSchema.safeParse({ memberIds: [id], billingGroupId: "Engineering", period: "x" }).success,
    ).toBe(false);
    expect(assignBillingGroupSchema.parse({ memberIds: [id], billingGroupId: id, period: "x" }).billingGroupId).toBe(
      id,
    );
  });

  it("assigns to Unassigned only when chosen: an empty choice is refused, never a default (issue 18)", () => {
    const empty = assignBillingGroupSchema.safeParse({ memberIds: [id], billingGroupId: " ", period: "x" });
    expect(empty.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["billingGroupId", "Choose a billing group."],
    ]);
    expect(
      assignBillingGroupSchema.parse({ memberIds: [id], billingGroupId: "unassigned", period: "x" }).billingGroupId,
    ).toBeNull();
  });
});
