import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb, withOrg } from "@/db";
import { authSecret } from "@/lib/env";
import { endMemberSessions, findSignInCandidate, findSsoCandidate } from "@/lib/members/queries";
import { verifyPassword } from "./password";
import { clearAccountFailures, recordSignInFailure, signInBlockedFor, throttleKeys } from "./throttle";
import { RATE_LIMITED } from "./throttle-rules";

/** The client's address: the first hop of X-Forwarded-For (set by the load balancer), if any. */
function clientAddress(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : null);
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function oidcProviders(): NextAuthOptions["providers"] {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = process.env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: process.env.OIDC_NAME ?? "Single sign-on",
      type: "oauth",
      wellKnown: `${OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    },
  ];
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = getDb();
          const keys = throttleKeys(parsed.data.email, clientAddress(request?.headers));
          const waitMinutes = await signInBlockedFor(db, keys);
          // Checked before the password, so a blocked account cannot be probed further.
          if (waitMinutes !== null) throw new Error(`${RATE_LIMITED}:${waitMinutes}`);
          const candidate = await findSignInCandidate(db, { email: parsed.data.email });
          const valid = await verifyPassword(candidate?.passwordHash ?? null, parsed.data.password);
          if (!candidate || !valid || candidate.deactivatedAt) {
            await recordSignInFailure(db, keys);
            return null;
          }
          await clearAccountFailures(db, keys);
          return { id: candidate.id, orgId: candidate.orgId };
        },
      }),
      ...oidcProviders(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        if (!user.email) return false;
        return (await findSsoCandidate(getDb(), { email: user.email })) !== null;
      },
      async jwt({ token, user, account }) {
        // The token carries only who signed in; role and access are read from the database on
        // every request (R4), never trusted from here.
        if (user && account?.provider === "oidc" && user.email) {
          const member = await findSsoCandidate(getDb(), { email: user.email });
          if (member) {
            token.memberId = member.id;
            token.orgId = member.orgId;
          }
        } else if (user && "orgId" in user) {
          token.memberId = user.id;
          token.orgId = user.orgId as string;
        }
        return token;
      },
      async session({ session, token }) {
        session.memberId = token.memberId;
        session.orgId = token.orgId;
        session.issuedAt = typeof token.iat === "number" ? token.iat : undefined;
        return session;
      },
    },
    events: {
      // A JWT cannot be recalled, so sign-out moves the member's session cutoff: a copy of the
      // cookie kept elsewhere stops working on its next request.
      async signOut({ token }) {
        const { memberId, orgId } = token ?? {};
        if (memberId && orgId) await withOrg(orgId, (tx) => endMemberSessions(tx, { orgId, memberId }));
      },
    },
  };
}
