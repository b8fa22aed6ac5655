import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb, withOrg } from "@/db";
import { authSecret } from "@/lib/env";
import { logFailure } from "@/lib/log";
import { safeCallbackPath } from "./safe-redirect";
import { endMemberSessions, memberBehindSession, sessionClock } from "./sessions";
import { signInWithPassword } from "./sign-in";
import { resolveSsoSignIn, type SsoConfiguration, ssoConfiguration } from "./sso";
import { RATE_LIMITED } from "./throttle-rules";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** Thrown from the jwt callback for a session that has ended: next-auth then clears the cookie. */
class SessionEndedError extends Error {
  constructor() {
    super("session ended");
    this.name = "SessionEndedError";
  }
}

type OidcProfile = { sub: string; email?: string; name?: string; email_verified?: boolean };

function oidcProviders(config: SsoConfiguration | null): NextAuthOptions["providers"] {
  if (!config) return [];
  return [
    {
      id: "oidc",
      name: config.name,
      type: "oauth",
      wellKnown: `${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: OidcProfile) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    },
  ];
}

export type AuthRequestContext = {
  /** The client's address for the sign-in throttle (client-address.ts); null when unknown. */
  clientAddress?: string | null;
  /**
   * Check the member and the session cutoff in the database whenever a session is read: set by
   * the `/api/auth/*` route, so a copied cookie of an ended session is cleared there instead of
   * being re-issued. Pages and actions get the same check from the guard.
   */
  checkSessionOnRead?: boolean;
};

export function authOptions(context: AuthRequestContext = {}): NextAuthOptions {
  const sso = ssoConfiguration();
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // An ended session is an expected outcome, not an error worth a stack trace.
      error(code, metadata) {
        const name = metadata instanceof Error ? metadata.name : (metadata as { name?: unknown } | undefined)?.name;
        if (name === "SessionEndedError") return;
        // Only the error's class and redacted message: next-auth's metadata may carry the request.
        const cause = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        logFailure(`next-auth ${code}`, cause ?? metadata);
      },
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const result = await signInWithPassword({ ...parsed.data, address: context.clientAddress ?? null });
          if (result.outcome === "rate_limited") throw new Error(`${RATE_LIMITED}:${result.minutes}`);
          if (result.outcome === "refused") return null;
          return { id: result.memberId, orgId: result.orgId };
        },
      }),
      ...oidcProviders(sso),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const verified = (profile as OidcProfile | undefined)?.email_verified;
        return (await resolveSsoSignIn(sso, { email: user.email, emailVerified: verified })) !== null;
      },
      async redirect({ url, baseUrl }) {
        // R47: every redirect next-auth makes goes through the one same-origin check.
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).href;
      },
      async jwt({ token, user, account, profile }) {
        // The token carries only who signed in and when; role and access are read from the
        // database on every request (R4), never trusted from here.
        if (user) {
          const member =
            account?.provider === "oidc"
              ? await resolveSsoSignIn(sso, {
                  email: user.email,
                  emailVerified: (profile as OidcProfile | undefined)?.email_verified,
                })
              : "orgId" in user
                ? { id: user.id, orgId: user.orgId as string }
                : null;
          if (!member) throw new SessionEndedError();
          token.memberId = member.id;
          token.orgId = member.orgId;
          // Fixed at sign-in: re-issued cookies keep it, so a copy never outlives a cutoff.
          token.signedInAt = await sessionClock(getDb());
          return token;
        }
        if (typeof token.signedInAt !== "number") throw new SessionEndedError();
        if (context.checkSessionOnRead) {
          const member = await memberBehindSession({
            orgId: token.orgId,
            memberId: token.memberId,
            issuedAt: token.signedInAt,
          });
          if (!member) throw new SessionEndedError();
        }
        return token;
      },
      async session({ session, token }) {
        session.memberId = token.memberId;
        session.orgId = token.orgId;
        session.issuedAt = token.signedInAt;
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
