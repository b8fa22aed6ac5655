import { describe, expect, it } from "vitest";
import type { ApiKeyScope } from "@/lib/api-keys/rules";
import { apiKeyPrincipal, memberPrincipal, requireApiKey, requireMemberRole, requireWriter } from "./principal";
import { ADMIN_ONLY, BILLING_ROLES } from "./roles";

const member = (role: "admin" | "billing_admin" | "member") =>
  memberPrincipal({
    id: "0b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21",
    orgId: "6c6f6261-6c2d-4c61-a267-650000000001",
    orgName: "Acme",
    orgCreatedAt: new Date("2026-01-01T00:00:00Z"),
    name: "Ada",
    email: "ada@example.test",
    role,
    sessionsValidAfter: null,
  });
const ORG = "6c6f6261-6c2d-4c61-a267-650000000001";
const keyWith = (...scopes: ApiKeyScope[]) => apiKeyPrincipal({ orgId: ORG, apiKeyId: "k", name: "HR sync", scopes });
const key = keyWith("usage", "read");

describe("principals (issue 13)", () => {
  it("takes the org and the audit actor from the signed-in member", () => {
    expect(member("admin")).toMatchObject({
      kind: "member",
      orgId: "6c6f6261-6c2d-4c61-a267-650000000001",
      actor: { id: "0b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21", label: "Ada <ada@example.test>", role: "admin" },
    });
  });

  it("admits a member only with one of the roles, and never an API key to the console (R3)", () => {
    expect(requireMemberRole(member("billing_admin"), BILLING_ROLES).member.role).toBe("billing_admin");
    expect(() => requireMemberRole(member("billing_admin"), ADMIN_ONLY)).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
    expect(() => requireMemberRole(key, BILLING_ROLES)).toThrow(expect.objectContaining({ code: "forbidden" }));
  });

  it("admits only API keys to the org-wide read API (R32, R32a)", () => {
    expect(requireApiKey(key, "read").apiKeyId).toBe("k");
    expect(() => requireApiKey(member("admin"), "read")).toThrow(expect.objectContaining({ code: "forbidden" }));
  });

  it("admits an API key only with the scope the operation needs (R44)", () => {
    expect(requireApiKey(keyWith("usage"), "usage").apiKeyId).toBe("k");
    expect(() => requireApiKey(keyWith("usage"), "read")).toThrow(
      expect.objectContaining({ code: "insufficient_scope", scope: "read" }),
    );
    expect(() => requireApiKey(keyWith("read", "usage"), "admin")).toThrow(
      expect.objectContaining({ code: "insufficient_scope", scope: "admin" }),
    );
  });

  it("lets an admin-scoped key change what a billing admin may, recorded under the key's name (R44)", () => {
    expect(requireWriter(keyWith("admin"), BILLING_ROLES)).toEqual({
      orgId: ORG,
      actor: { id: null, label: "HR sync", role: "billing_admin", apiKeyId: "k" },
    });
    expect(() => requireWriter(keyWith("admin"), ADMIN_ONLY)).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => requireWriter(keyWith("usage", "read"), BILLING_ROLES)).toThrow(
      expect.objectContaining({ code: "insufficient_scope" }),
    );
    expect(requireWriter(member("billing_admin"), BILLING_ROLES).actor.label).toBe("Ada <ada@example.test>");
    expect(() => requireWriter(member("member"), BILLING_ROLES)).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
  });
});
