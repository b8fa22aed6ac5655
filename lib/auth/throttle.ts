import "server-only";
import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { signInThrottle } from "@/db/schema";
import { now } from "@/lib/clock";
import { decideSignInAttempt, type ThrottleDecision, type ThrottleStates, THROTTLE_WINDOW_MS } from "./throttle-rules";

// R47, issue 22 item 2: the sign-in throttle's rows (sign_in_throttle, keyed by SHA-256 so no email
// or address is stored in clear). Unknown emails are keyed exactly like real ones, so the answers
// never tell which accounts exist.

const keyFor = (kind: "email" | "ip" | "email-at-ip" | "known-ip", value: string) =>
  createHash("sha256").update(`${kind}:${value.toLowerCase()}`).digest("hex");

export type ThrottleKeys = {
  account: string;
  /** Null when the client's address is unknown (see client-address.ts). */
  address: string | null;
  accountAtAddress: string;
  /** The row that remembers a successful sign-in of this account from this address. */
  knownAddress: string | null;
};

export function throttleKeys(email: string, address: string | null): ThrottleKeys {
  const pair = `${email}\n${address ?? "unknown"}`;
  return {
    account: keyFor("email", email),
    address: address ? keyFor("ip", address) : null,
    accountAtAddress: keyFor("email-at-ip", pair),
    knownAddress: address ? keyFor("known-ip", pair) : null,
  };
}

/** The keys failures are counted under. */
function failureKeys(keys: ThrottleKeys): string[] {
  return [keys.accountAtAddress, keys.address, keys.account].filter((k): k is string => k !== null);
}

async function readStates(db: Executor, keys: ThrottleKeys): Promise<ThrottleStates> {
  const wanted = [...failureKeys(keys), keys.knownAddress].filter((k): k is string => k !== null);
  const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, wanted));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const state = (key: string | null) => (key ? (byKey.get(key) ?? null) : null);
  return {
    accountAtAddress: state(keys.accountAtAddress),
    address: state(keys.address),
    account: state(keys.account),
    knownAddressSince: state(keys.knownAddress)?.windowStartedAt ?? null,
  };
}

/** Null when the attempt may proceed; otherwise the minutes to wait. Reads only. */
export async function signInBlockedFor(db: Executor, keys: ThrottleKeys): Promise<number | null> {
  const decision = decideSignInAttempt(await readStates(db, keys), now());
  return decision.allowed ? null : decision.minutes;
}

/** Counts a failure against every counter of the attempt; a stale window starts afresh. */
export async function recordSignInFailure(db: Executor, keys: ThrottleKeys): Promise<void> {
  const at = now();
  const windowStart = new Date(at.getTime() - THROTTLE_WINDOW_MS);
  const stale = sql`${signInThrottle.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz`;
  await db
    .insert(signInThrottle)
    .values(failureKeys(keys).map((key) => ({ key, windowStartedAt: at, failures: 1 })))
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${stale} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${stale} then ${at.toISOString()}::timestamptz else ${signInThrottle.windowStartedAt} end`,
      },
    });
}

/**
 * Decides and counts one attempt atomically, BEFORE the password is checked: the attempt's keys
 * are locked (transaction-scoped advisory locks, taken in one order so attempts never deadlock),
 * the counters judged, and an allowed attempt counted as a failure until it proves otherwise. So
 * however many attempts race, at most the limit of them reach the password check.
 */
export async function reserveSignInAttempt(db: Executor, keys: ThrottleKeys): Promise<ThrottleDecision> {
  return db.transaction(async (tx) => {
    for (const key of failureKeys(keys).sort())
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    const decision = decideSignInAttempt(await readStates(tx, keys), now());
    if (decision.allowed) await recordSignInFailure(tx, keys);
    return decision;
  });
}

/**
 * A successful sign-in clears the account's failures (at this address and account-wide), releases
 * its own reservation on the address counter — so an office behind one NAT address is never locked
 * out by its colleagues' successful sign-ins, while failures from that address still add up — and
 * remembers the address as one this account signs in from.
 */
export async function clearAccountFailures(db: Executor, keys: ThrottleKeys): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keys.accountAtAddress, keys.account]));
  if (keys.address) {
    await db
      .update(signInThrottle)
      .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
      .where(eq(signInThrottle.key, keys.address));
  }
  if (keys.knownAddress) {
    const at = now();
    await db
      .insert(signInThrottle)
      .values({ key: keys.knownAddress, windowStartedAt: at, failures: 0 })
      .onConflictDoUpdate({ target: signInThrottle.key, set: { windowStartedAt: at } });
  }
}
