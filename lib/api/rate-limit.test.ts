import { describe, expect, it } from "vitest";
import { RateLimiter, takeToken } from "./rate-limit";

const policy = { burst: 3, perSecond: 2 };

describe("admin API token bucket (R44)", () => {
  it("admits a burst, then refuses with how long to wait", () => {
    const limiter = new RateLimiter(policy);
    expect([0, 0, 0].map(() => limiter.take("k", 1_000).ok)).toEqual([true, true, true]);
    expect(limiter.take("k", 1_000)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("refills at the steady rate, never above the burst", () => {
    const limiter = new RateLimiter(policy);
    for (let i = 0; i < 3; i++) limiter.take("k", 0);
    expect(limiter.take("k", 499).ok).toBe(false);
    expect(limiter.take("k", 500).ok).toBe(true);
    expect(limiter.take("k", 500).ok).toBe(false);
    // An hour idle refills only to the burst.
    const after = [0, 0, 0, 0].map(() => limiter.take("k", 3_600_000).ok);
    expect(after).toEqual([true, true, true, false]);
  });

  it("keeps one bucket per key", () => {
    const limiter = new RateLimiter(policy);
    for (let i = 0; i < 3; i++) limiter.take("a", 0);
    expect(limiter.take("a", 0).ok).toBe(false);
    expect(limiter.take("b", 0).ok).toBe(true);
  });

  it("rounds Retry-After up to whole seconds", () => {
    const { result } = takeToken({ tokens: 0, updatedMs: 0 }, 0, { burst: 60, perSecond: 0.25 });
    expect(result).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it("forgets idle buckets when it holds too many keys, never a busy one's debt", () => {
    const limiter = new RateLimiter(policy, 2);
    for (let i = 0; i < 3; i++) limiter.take("busy", 10_000);
    limiter.take("idle", 0);
    limiter.take("new", 10_000);
    expect(limiter.take("busy", 10_000).ok).toBe(false);
  });
});
