// Issue 22 item 7: SSO resolves to the organization its identity provider is configured for, never
// by a global email lookup, so another org adding a member with the same email changes nothing.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMember, createOrg, testDb } from "@/tests/support/db";
import { authOptions } from "./options";
import { resolveSsoSignIn, ssoConfiguration } from "./sso";

vi.mock("@/lib/env", async (original) => ({
  ...(await original<object>()),
  authSecret: () => "sso-suite-secret-".repeat(3),
}));

afterEach(() => vi.unstubAllEnvs());

function configureSso(orgId: string) {
  vi.stubEnv("OIDC_ISSUER", "https://login.example.test");
  vi.stubEnv("OIDC_CLIENT_ID", "ledgerline");
  vi.stubEnv("OIDC_CLIENT_SECRET", "client-secret");
  vi.stubEnv("OIDC_ORG_ID", orgId);
}

/** The two callbacks next-auth runs when the identity provider hands back a user. */
async function ssoSignIn(email: string, emailVerified = true) {
  const callbacks = authOptions().callbacks!;
  const user = { id: `sub-${email}`, email };
  const account = { provider: "oidc", type: "oauth" as const, providerAccountId: user.id };
  const profile = { sub: user.id, email, email_verified: emailVerified };
  const allowed = await callbacks.signIn!({ user, account, profile } as Parameters<
    NonNullable<typeof callbacks.signIn>
  >[0]);
  if (allowed !== true) return { allowed, token: null };
  const token = await callbacks.jwt!({ token: {}, user, account, profile } as Parameters<
    NonNullable<typeof callbacks.jwt>
  >[0]);
  return { allowed, token };
}

async function twoOrgsSharingAnEmail() {
  const email = `shared-${randomUUID().slice(0, 8)}@example.test`;
  const orgA = await createOrg("SSO A");
  const orgB = await createOrg("SSO B");
  // Org B's real user; org A's admin then adds a member with the same email to org A (R2 allows it).
  const inB = await createMember(orgB.id, { email, role: "admin" });
  const inA = await createMember(orgA.id, { email: email.toUpperCase(), role: "member" });
  return { email, orgA: orgA.id, orgB: orgB.id, inA: inA.id, inB: inB.id };
}

describe("SSO per organization (issue 22 item 7)", () => {
  it("org B's user still signs in to org B after org A adds a member with the same email", async () => {
    const { email, orgB, inB } = await twoOrgsSharingAnEmail();
    configureSso(orgB);
    const { allowed, token } = await ssoSignIn(email);
    expect(allowed).toBe(true);
    expect(token).toMatchObject({ memberId: inB, orgId: orgB });
    expect(typeof token?.signedInAt).toBe("number");
  });

  it("the configured organization decides: org A's provider signs into org A's member only", async () => {
    const { email, orgA, inA } = await twoOrgsSharingAnEmail();
    configureSso(orgA);
    expect((await ssoSignIn(email)).token).toMatchObject({ memberId: inA, orgId: orgA });
  });

  it("refuses an email that is not an active member of the configured organization, or is unverified", async () => {
    const { email, orgB } = await twoOrgsSharingAnEmail();
    const onlyElsewhere = await createOrg("SSO C");
    configureSso(onlyElsewhere.id);
    expect((await ssoSignIn(email)).allowed).toBe(false);
    configureSso(orgB);
    expect((await ssoSignIn(email, false)).allowed).toBe(false);
    await testDb().execute(sql`update members set deactivated_at = now() where org_id = ${orgB}`);
    expect((await ssoSignIn(email)).allowed).toBe(false);
  });

  it("is off unless the organization is configured too, and the global lookup is gone", async () => {
    vi.stubEnv("OIDC_ISSUER", "https://login.example.test");
    vi.stubEnv("OIDC_CLIENT_ID", "ledgerline");
    vi.stubEnv("OIDC_CLIENT_SECRET", "client-secret");
    vi.stubEnv("OIDC_ORG_ID", "");
    expect(ssoConfiguration()).toBeNull();
    expect(authOptions().providers.map((p) => p.id)).toEqual(["credentials"]);
    expect(await resolveSsoSignIn(null, { email: "admin@example.com" })).toBeNull();
    const [fn] = await testDb().execute<{ n: number }>(
      sql`select count(*)::int as n from pg_proc where proname = 'ledgerline_sso_candidates'`,
    );
    expect(fn!.n).toBe(0);
  });
});
