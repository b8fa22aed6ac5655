import "server-only";
import { type Database, getDb, withOrg } from "@/db";
import { recordAudit } from "@/lib/audit/service";
import { findSignInCandidate } from "@/lib/members/queries";
import { verifyPassword } from "@/lib/crypto/password";
import { logWarning } from "@/lib/log";
import { clearAccountFailures, reserveSignInAttempt, throttleKeys } from "./throttle";
import { MAX_FAILURES, THROTTLE_WINDOW_MS, type ThrottleCounter } from "./throttle-rules";

// R47, issue 22 item 2: email-and-password sign-in, throttled atomically before the password check.

export type PasswordSignInResult =
  | { outcome: "signed_in"; memberId: string; orgId: string }
  | { outcome: "refused" }
  | { outcome: "rate_limited"; minutes: number };

/** What sign-in depends on, injectable so tests can count password checks and skip the delay. */
export type PasswordSignInDeps = {
  db: Database;
  verifyPassword: (storedHash: string | null, password: string) => Promise<boolean>;
  sleep: (ms: number) => Promise<void>;
};

const defaultDeps = (): PasswordSignInDeps => ({
  db: getDb(),
  verifyPassword,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

const LOCK_LABELS: Record<ThrottleCounter, string> = {
  accountAtAddress: "this account from one address",
  address: "one address across accounts",
  account: "this account from every unfamiliar address",
};

export async function signInWithPassword(
  input: { email: string; password: string; address: string | null },
  deps: PasswordSignInDeps = defaultDeps(),
): Promise<PasswordSignInResult> {
  const keys = throttleKeys(input.email, input.address);
  const decision = await reserveSignInAttempt(deps.db, keys);
  if (!decision.allowed) return { outcome: "rate_limited", minutes: decision.minutes };
  if (decision.delayMs > 0) await deps.sleep(decision.delayMs);

  const candidate = await findSignInCandidate(deps.db, { email: input.email });
  // Verified against a decoy hash when the email is unknown, so timing does not tell either.
  const valid = await deps.verifyPassword(candidate?.passwordHash ?? null, input.password);
  if (candidate && valid && !candidate.deactivatedAt) {
    await clearAccountFailures(deps.db, keys);
    return { outcome: "signed_in", memberId: candidate.id, orgId: candidate.orgId };
  }
  if (decision.locksOnFailure) await recordLockout(decision.locksOnFailure, candidate, input.email);
  return { outcome: "refused" };
}

/**
 * Each lockout of a member's account goes to their organization's audit log (R36). Lockouts of
 * unknown emails, and of an address across accounts, belong to no organization: they are logged
 * without the email or address.
 */
async function recordLockout(counter: ThrottleCounter, candidate: { id: string; orgId: string } | null, email: string) {
  if (!candidate || counter === "address") {
    logWarning("sign-in", `throttle lockout: ${LOCK_LABELS[counter]}`);
    return;
  }
  await withOrg(candidate.orgId, (tx) =>
    recordAudit(tx, {
      orgId: candidate.orgId,
      actor: { id: null, label: "Sign-in throttle" },
      action: "member.sign_in_locked",
      targetType: "member",
      targetId: candidate.id,
      targetLabel: email,
      after: {
        scope: LOCK_LABELS[counter],
        failures: MAX_FAILURES[counter],
        minutes: THROTTLE_WINDOW_MS / 60_000,
      },
    }),
  );
}
