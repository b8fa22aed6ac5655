// R44: a token bucket per API key for the admin API, kept in this server process's memory. Each
// instance limits on its own (documented in docs/admin-api.md): N instances behind a load balancer
// admit up to N× the rate, which bounds abuse without a database write on every request.

export type BucketPolicy = { burst: number; perSecond: number };

/** 60 requests at once, then 10 a second, per key and instance. */
export const ADMIN_API_RATE: BucketPolicy = { burst: 60, perSecond: 10 };

type Bucket = { tokens: number; updatedMs: number };

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/** A bucket refilled for the time since its last update, then one token taken if there is one. Pure. */
export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  policy: BucketPolicy,
): { bucket: Bucket; result: TakeResult } {
  const elapsedSeconds = bucket ? Math.max(0, nowMs - bucket.updatedMs) / 1000 : 0;
  const tokens = bucket ? Math.min(policy.burst, bucket.tokens + elapsedSeconds * policy.perSecond) : policy.burst;
  if (tokens >= 1) {
    const left = tokens - 1;
    return { bucket: { tokens: left, updatedMs: nowMs }, result: { ok: true, remaining: Math.floor(left) } };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / policy.perSecond));
  return { bucket: { tokens, updatedMs: nowMs }, result: { ok: false, retryAfterSeconds } };
}

/** The buckets of one process. Idle buckets are full again, so forgetting them loses nothing. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly policy: BucketPolicy,
    private readonly maxKeys = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  take(key: string, nowMs: number = this.clock()): TakeResult {
    const { bucket, result } = takeToken(this.buckets.get(key), nowMs, this.policy);
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.forgetFullBuckets(nowMs);
    this.buckets.set(key, bucket);
    return result;
  }

  private forgetFullBuckets(nowMs: number) {
    const refillMs = (this.policy.burst / this.policy.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.updatedMs >= refillMs) this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
