import { describe, expect, it } from "vitest";
import { createApiKeySchema } from "./schemas";

describe("Create API key with scopes (R44)", () => {
  it("keeps the chosen scopes once each, in the canonical order", () => {
    expect(createApiKeySchema.parse({ name: "HR sync", scopes: ["admin", "read", "admin"] })).toEqual({
      name: "HR sync",
      scopes: ["read", "admin"],
    });
  });

  it("gives a caller that names no scopes what keys had before scopes: usage and read", () => {
    expect(createApiKeySchema.parse({ name: "Gateway" }).scopes).toEqual(["usage", "read"]);
  });

  it("refuses an empty choice and an unknown scope with a message that says what to do", () => {
    const none = createApiKeySchema.safeParse({ name: "Nothing", scopes: [] });
    expect(none.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["scopes", "Choose at least one scope."],
    ]);
    const unknown = createApiKeySchema.safeParse({ name: "Root", scopes: ["usage", "superuser"] });
    expect(unknown.error?.issues[0]?.message).toBe("Choose from the listed scopes.");
  });
});
