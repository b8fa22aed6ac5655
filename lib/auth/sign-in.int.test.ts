// R47, issue 22 item 2: the throttle cannot be raced, spoofed, or used to lock an admin out.
// The real database and throttle; only the password check (counted) and the delay are injected.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { createMember, createOrg, testDb } from "@/tests/support/db";
import { resolveClientAddress } from "./client-address";
import { type PasswordSignInDeps, signInWithPassword } from "./sign-in";
import { MAX_FAILURES } from "./throttle-rules";

const RIGHT = "the-right-password";

/** A counting stand-in for argon2: only RIGHT against "hash:ok" verifies. */
function countingDeps() {
  const counts = { verified: 0, slept: [] as number[] };
  const deps: PasswordSignInDeps = {
    db: testDb(),
    verifyPassword: async (hash, password) => {
      counts.verified++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return hash === "hash:ok" && password === RIGHT;
    },
    sleep: async (ms) => {
      counts.slept.push(ms);
    },
  };
  return { deps, counts };
}

async function account(role: "admin" | "billing_admin" = "admin") {
  const org = await createOrg();
  const email = `throttle-${randomUUID().slice(0, 8)}@example.test`;
  const member = await createMember(org.id, { role, email, passwordHash: "hash:ok" });
  return { orgId: org.id, memberId: member.id, email };
}

const uniqueAddress = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

async function lockouts(orgId: string, memberId: string) {
  return testDb()
    .select()
    .from(auditLog)
    .where(
      and(eq(auditLog.orgId, orgId), eq(auditLog.action, "member.sign_in_locked"), eq(auditLog.targetId, memberId)),
    );
}

describe("sign-in throttle under concurrency (R47)", () => {
  it("50 concurrent wrong attempts with rotating X-Forwarded-For: at most the cap reach the password check", async () => {
    const { orgId, memberId, email } = await account();
    const { deps, counts } = countingDeps();
    const socket = uniqueAddress();
    // LEDGERLINE_TRUSTED_PROXY_HOPS=0: each attempt forges its own X-Forwarded-For; the socket wins.
    const attempts = Array.from({ length: 50 }, (_, i) => {
      const address = resolveClientAddress({ forwardedFor: `203.0.113.${i}`, peer: socket }, 0);
      return signInWithPassword({ email, password: `wrong-${i}`, address }, deps);
    });
    const results = await Promise.all(attempts);
    expect(counts.verified).toBeLessThanOrEqual(MAX_FAILURES.accountAtAddress);
    expect(results.filter((r) => r.outcome === "refused")).toHaveLength(counts.verified);
    expect(results.filter((r) => r.outcome === "rate_limited")).toHaveLength(50 - counts.verified);
    // The right password, sent after the flood, is refused too without being checked.
    const right = await signInWithPassword({ email, password: RIGHT, address: socket }, deps);
    expect(right).toEqual({ outcome: "rate_limited", minutes: 15 });
    expect(counts.verified).toBeLessThanOrEqual(MAX_FAILURES.accountAtAddress);
    // The lockout is audited once, in the member's organization.
    const audited = await lockouts(orgId, memberId);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorId: null, actorLabel: "Sign-in throttle", targetLabel: email });
  });

  it("60 concurrent attempts, 59 wrong and the right one last, do not sign in", async () => {
    const { email } = await account("billing_admin");
    const { deps, counts } = countingDeps();
    const socket = uniqueAddress();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signInWithPassword(
          {
            email,
            password: i === 59 ? RIGHT : `wrong-${i}`,
            address: resolveClientAddress({ forwardedFor: `192.0.2.${i}`, peer: socket }, 0),
          },
          deps,
        ),
      ),
    );
    expect(counts.verified).toBeLessThanOrEqual(MAX_FAILURES.accountAtAddress);
    expect(results.at(-1)!.outcome).not.toBe("signed_in");
  });

  it("counts unknown emails exactly like real accounts", async () => {
    const { deps, counts } = countingDeps();
    const address = uniqueAddress();
    const email = `nobody-${randomUUID().slice(0, 8)}@example.test`;
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await signInWithPassword({ email, password: "guess", address }, deps));
    expect(results.map((r) => r.outcome)).toEqual([
      "refused",
      "refused",
      "refused",
      "refused",
      "refused",
      "rate_limited",
    ]);
    // Every allowed attempt paid a (decoy) password check, as for a real account.
    expect(counts.verified).toBe(5);
  });
});

describe("a stranger cannot lock an admin out (R47)", () => {
  it("a stranger's failures from another address leave the admin's own address open", async () => {
    const { email } = await account();
    const { deps } = countingDeps();
    const stranger = uniqueAddress();
    const admin = uniqueAddress();
    for (let i = 0; i < 8; i++) await signInWithPassword({ email, password: "guess", address: stranger }, deps);
    expect(await signInWithPassword({ email, password: RIGHT, address: stranger }, deps)).toMatchObject({
      outcome: "rate_limited",
    });
    expect(await signInWithPassword({ email, password: RIGHT, address: admin }, deps)).toMatchObject({
      outcome: "signed_in",
    });
  });

  it("a botnet reaches the account-wide ceiling slowly, and never from an address the admin signed in from", async () => {
    const { orgId, memberId, email } = await account();
    const { deps, counts } = countingDeps();
    const home = uniqueAddress();
    expect(await signInWithPassword({ email, password: RIGHT, address: home }, deps)).toMatchObject({
      outcome: "signed_in",
    });
    // Behind one trusted proxy, each bot has a real address of its own.
    for (let i = 0; i < MAX_FAILURES.account; i++) {
      const address = resolveClientAddress({ forwardedFor: `10.${i >> 8}.${i & 255}.7`, peer: "127.0.0.1" }, 1);
      expect((await signInWithPassword({ email, password: `bot-${i}`, address }, deps)).outcome).toBe("refused");
    }
    // Past a few failures every further unfamiliar attempt waited longer first.
    expect(counts.slept.length).toBeGreaterThan(MAX_FAILURES.account - 10);
    expect(Math.max(...counts.slept)).toBeGreaterThan(1000);
    const next = await signInWithPassword({ email, password: RIGHT, address: "10.200.0.1" }, deps);
    expect(next).toMatchObject({ outcome: "rate_limited" });
    // The admin's own address is exempt from the ceiling, and waits for nothing.
    const sleptBefore = counts.slept.length;
    expect(await signInWithPassword({ email, password: RIGHT, address: home }, deps)).toMatchObject({
      outcome: "signed_in",
    });
    expect(counts.slept.length).toBe(sleptBefore);
    expect((await lockouts(orgId, memberId)).map((row) => (row.after as { scope: string }).scope)).toEqual([
      "this account from every unfamiliar address",
    ]);
  });

  it("a successful sign-in clears the account's failures at its address", async () => {
    const { email } = await account();
    const { deps } = countingDeps();
    const address = uniqueAddress();
    for (let i = 0; i < 4; i++) await signInWithPassword({ email, password: "typo", address }, deps);
    expect(await signInWithPassword({ email, password: RIGHT, address }, deps)).toMatchObject({ outcome: "signed_in" });
    for (let i = 0; i < 4; i++)
      expect((await signInWithPassword({ email, password: "typo", address }, deps)).outcome).toBe("refused");
  });

  it("successful sign-ins release their reservation: colleagues behind one address are never locked out", async () => {
    const { deps } = countingDeps();
    const office = uniqueAddress();
    const colleagues = await Promise.all(Array.from({ length: 6 }, () => account()));
    for (let round = 0; round < MAX_FAILURES.address / colleagues.length + 2; round++) {
      for (const { email } of colleagues) {
        expect(await signInWithPassword({ email, password: RIGHT, address: office }, deps)).toMatchObject({
          outcome: "signed_in",
        });
      }
    }
    // Failures from that address still count toward its limit.
    const { email } = await account();
    const results = [];
    for (let i = 0; i < MAX_FAILURES.address + 1; i++)
      results.push(
        (await signInWithPassword({ email: `${i}-${email}`, password: "typo", address: office }, deps)).outcome,
      );
    expect(results.at(-1)).toBe("rate_limited");
  });
});
