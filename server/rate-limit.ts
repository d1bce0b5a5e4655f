// Per-key request rate: a token bucket per API key, refilled at `perSecond` up to `burst`. One
// limiter per app (no module state); keys are bounded by the api_keys table, since only a key that
// authenticated is ever counted. Time comes from the app's clock. The same bucket, per client address,
// limits the public channel register.
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Generous for integrators replaying a backlog; an operator may lower it (RATE_LIMIT) or turn it off (0). */
export const defaultRateLimit: RateLimit = { perSecond: 1_000, burst: 2_000 };

export interface KeyRateLimiter {
  /** Takes one request's token: 0 when granted, else the milliseconds until one is free. */
  take(keyId: string, nowMs: number): number;
}

/**
 * The public channel register, per client address: a browser reading it needs a few requests; a
 * scraper or flood is slowed down before it costs the database anything. PUBLIC_RATE_LIMIT changes it.
 */
export const defaultPublicRateLimit: RateLimit = { perSecond: 5, burst: 50 };

/** `maxKeys` bounds the memory where anyone can make a new key (client addresses): the oldest are forgotten first. */
export function createKeyRateLimiter(limit: RateLimit, maxKeys = Number.POSITIVE_INFINITY): KeyRateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(keyId, nowMs) {
      if (!buckets.has(keyId) && buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      const bucket = buckets.get(keyId) ?? { tokens: limit.burst, at: nowMs };
      const tokens = Math.min(limit.burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) * limit.perSecond) / 1000);
      if (tokens < 1) {
        buckets.set(keyId, { tokens, at: nowMs });
        return Math.ceil(((1 - tokens) * 1000) / limit.perSecond);
      }
      buckets.set(keyId, { tokens: tokens - 1, at: nowMs });
      return 0;
    },
  };
}
