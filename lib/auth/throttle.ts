import "server-only";
import { createHash } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { signInThrottle } from "@/db/schema";
import { now } from "@/lib/clock";
import { activeFailures, MAX_FAILURES, minutesUntilRetry, THROTTLE_WINDOW_MS } from "./throttle-rules";

const keyFor = (kind: "email" | "ip", value: string) =>
  createHash("sha256").update(`${kind}:${value.toLowerCase()}`).digest("hex");

export type ThrottleKeys = { account: string; address: string | null };

export function throttleKeys(email: string, address: string | null): ThrottleKeys {
  return { account: keyFor("email", email), address: address ? keyFor("ip", address) : null };
}

/** Null when the attempt may proceed; otherwise the minutes to wait. */
export async function signInBlockedFor(db: Executor, keys: ThrottleKeys): Promise<number | null> {
  const wanted = [keys.account, keys.address].filter((k): k is string => k !== null);
  const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, wanted));
  const at = now();
  for (const row of rows) {
    const limit = row.key === keys.account ? MAX_FAILURES.account : MAX_FAILURES.address;
    if (activeFailures(row, at) >= limit) return minutesUntilRetry(row, at);
  }
  return null;
}

/** Counts a failure against the account and the address; a stale window starts afresh. */
export async function recordSignInFailure(db: Executor, keys: ThrottleKeys): Promise<void> {
  const at = now();
  const windowStart = new Date(at.getTime() - THROTTLE_WINDOW_MS);
  for (const key of [keys.account, keys.address]) {
    if (!key) continue;
    await db
      .insert(signInThrottle)
      .values({ key, windowStartedAt: at, failures: 1 })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures: sql`case when ${signInThrottle.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${signInThrottle.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then ${at.toISOString()}::timestamptz else ${signInThrottle.windowStartedAt} end`,
        },
      });
  }
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export async function clearAccountFailures(db: Executor, keys: ThrottleKeys): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keys.account]));
}
