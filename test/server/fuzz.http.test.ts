// Hostile input at every route (issue 7, point 3): ~3,000 generated requests, valid ones and
// mutated ones, sent in process. No 5xx; every API error a problem; nothing the contract rejects is
// accepted; the database changes only on a successful write. The long run (100,000 requests) is
// test/long/fuzz.test.ts. Reproduce a failure with FUZZ_SEED=<the printed seed>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzEveryRoute, fuzzWorld, type FuzzWorld } from '../helpers/fuzz.ts';

const requests = Number(process.env.FUZZ_FAST_REQUESTS ?? 3_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261123);

describe('fuzzing every route with hostile input', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await fuzzWorld();
  });
  afterAll(() => w?.t.cleanup());

  it(`answers ${requests} generated requests without a 5xx, with problems, and without state changes from invalid ones`, async () => {
    const stats = await fuzzEveryRoute(w, { requests, seed });
    expect(stats.stateChanges).toBeGreaterThan(0);
  }, 180_000);
});
