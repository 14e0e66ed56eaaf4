/**
 * A token bucket per client: `capacity` requests in a burst, refilled at `refillPerSecond`.
 * In memory and per process, which is what one small demo server needs; several replicas behind a load
 * balancer would each keep their own buckets (see docs/deploying.md).
 */
export interface RateLimitOptions {
  capacity: number;
  refillPerSecond: number;
  /** Past this many tracked clients, buckets that have refilled completely are forgotten. */
  maxClients?: number;
  /** Milliseconds; injectable so tests never wait on the clock. */
  now?: () => number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(client: string): RateDecision;
  /** Clients currently tracked (for tests and metrics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { capacity, refillPerSecond, maxClients = 10_000, now = () => performance.now() } = options;
  if (!(capacity >= 1) || !(refillPerSecond > 0)) throw new Error('rate limit: capacity must be at least 1 and refillPerSecond above 0');
  const buckets = new Map<string, Bucket>();
  const refill = (bucket: Bucket, t: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.updatedAt) / 1000) * refillPerSecond);
    bucket.updatedAt = t;
  };
  const sweep = (t: number) => {
    for (const [client, bucket] of buckets) {
      refill(bucket, t);
      if (bucket.tokens >= capacity) buckets.delete(client);
    }
  };

  return {
    take(client) {
      const t = now();
      let bucket = buckets.get(client);
      if (!bucket) {
        if (buckets.size >= maxClients) sweep(t);
        bucket = { tokens: capacity, updatedAt: t };
        buckets.set(client, bucket);
      } else refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, remaining: Math.floor(bucket.tokens) };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
    },
    size: () => buckets.size,
  };
}
