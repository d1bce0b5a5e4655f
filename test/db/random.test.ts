// db/random.ts: ids and salts drawn from a page of CSPRNG bytes, each caller its own copy.
import { describe, expect, it } from 'vitest';
import { randomBytesFromPool } from '../../db/random.ts';
import { newId } from '../../db/ids.ts';

describe('random bytes from the pool', () => {
  it('gives every caller fresh bytes of the length asked, across page refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const bytes = randomBytesFromPool(16);
      expect(bytes.length).toBe(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2_000); // 32,000 bytes: several pages of 4,096
    expect(randomBytesFromPool(10_000).length).toBe(10_000);
  });

  it('hands out copies: changing one changes no later draw', () => {
    const first = randomBytesFromPool(16);
    first.fill(0);
    const next = randomBytesFromPool(16);
    expect(next.equals(Buffer.alloc(16))).toBe(false);
  });

  it('keeps UUIDv7 ids unique and well formed', () => {
    const at = new Date('2026-12-07T06:00:00Z');
    const ids = Array.from({ length: 1_000 }, () => newId(at));
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
