import { describe, expect, it } from "vitest";
import { groupFieldsSchema } from "./schemas";

describe("group schema (R5)", () => {
  it("trims the name to 1–100 characters and caps the description at 500", () => {
    expect(groupFieldsSchema.parse({ name: "  Ops  " })).toEqual({ name: "Ops", description: "" });
    expect(groupFieldsSchema.safeParse({ name: "   " }).success).toBe(false);
    expect(groupFieldsSchema.safeParse({ name: "x".repeat(100) }).success).toBe(true);
    expect(groupFieldsSchema.safeParse({ name: "x".repeat(101) }).success).toBe(false);
    expect(groupFieldsSchema.safeParse({ name: "x", description: "d".repeat(500) }).success).toBe(true);
    expect(groupFieldsSchema.safeParse({ name: "x", description: "d".repeat(501) }).success).toBe(false);
  });
});
