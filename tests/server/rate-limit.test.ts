import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../starter/server/rate-limit.ts';

describe('createRateLimiter (token bucket per client)', () => {
  it('allows a burst of `capacity`, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 0.25, now: () => now });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    // Other clients have their own bucket.
    expect(limiter.take('b').allowed).toBe(true);
    now = 2_000; // half a token back
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now = 4_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('never refills past capacity', () => {
    let now = 0;
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 10, now: () => now });
    limiter.take('a');
    now = 3_600_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('forgets clients whose buckets are full again once it tracks too many', () => {
    let now = 0;
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, maxClients: 3, now: () => now });
    for (const c of ['a', 'b', 'c']) limiter.take(c);
    expect(limiter.size()).toBe(3);
    now = 10_000;
    limiter.take('d');
    expect(limiter.size()).toBe(1);
  });

  it('rejects a limit that would refuse everything', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(/capacity/);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(/refillPerSecond/);
  });
});
