// Failed sign-ins are limited per client address: after `maxFailures` within `windowMs`, the
// address must wait until the oldest failure leaves the window. A success clears nothing: anyone
// holding one valid key could otherwise interleave their own sign-ins with guesses, unlimited.
// One limiter per app (no module state), kept in memory: a restart forgives, which is acceptable
// for keys of 192 random bits, where the limit guards against noise more than against guessing.
export interface SignInLimiter {
  /** Milliseconds to wait before trying again, or 0 when the address may try now. */
  retryAfter(address: string, now: number): number;
  failed(address: string, now: number): void;
}

export function createSignInLimiter(maxFailures = 10, windowMs = 15 * 60 * 1000, maxAddresses = 10_000): SignInLimiter {
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) => (failures.get(address) ?? []).filter((at) => at > now - windowMs);
  return {
    retryAfter(address, now) {
      const times = recent(address, now);
      return times.length < maxFailures ? 0 : times[0]! + windowMs - now;
    },
    failed(address, now) {
      // Bounded memory: an address flood forgets the oldest addresses first.
      if (!failures.has(address) && failures.size >= maxAddresses) failures.delete(failures.keys().next().value!);
      failures.set(address, [...recent(address, now), now]);
    },
  };
}
