import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { withOrg } from "@/db";
import { members } from "@/db/schema";

// Issue 22 item 7: single sign-on belongs to ONE organization, named by configuration
// (OIDC_ORG_ID), never found by a global email lookup: an admin of another org who adds a member
// with the same email cannot capture, or block, this org's SSO sign-ins.

export type SsoConfiguration = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  orgId: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity provider and the organization it signs into; null (SSO off) unless all are set. */
export function ssoConfiguration(): SsoConfiguration | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ORG_ID, OIDC_NAME } = process.env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET || !OIDC_ORG_ID || !UUID.test(OIDC_ORG_ID)) return null;
  return {
    issuer: OIDC_ISSUER,
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: OIDC_NAME || "Single sign-on",
    orgId: OIDC_ORG_ID.toLowerCase(),
  };
}

/** The active member of the SSO organization with this email, under that org's row-level security. */
export async function findSsoMember(params: { orgId: string; email: string }) {
  const rows = await withOrg(params.orgId, (tx) =>
    tx
      .select({ id: members.id, orgId: members.orgId })
      .from(members)
      .where(
        and(
          eq(members.orgId, params.orgId),
          sql`lower(${members.email}) = lower(${params.email})`,
          isNull(members.deactivatedAt),
        ),
      )
      .limit(1),
  );
  return rows[0] ?? null;
}

/**
 * The member an identity provider's sign-in resolves to: only in the configured organization, and
 * only for an email the provider has not declared unverified.
 */
export async function resolveSsoSignIn(
  config: SsoConfiguration | null,
  profile: { email?: string | null; emailVerified?: boolean | null },
) {
  if (!config || !profile.email || profile.emailVerified === false) return null;
  return findSsoMember({ orgId: config.orgId, email: profile.email });
}
