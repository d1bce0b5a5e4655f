// Hostile input at every route (issue 7, point 3): ~3,000 generated requests, valid ones and
// mutated ones, sent in process. No 5xx; every API error a problem; nothing the contract rejects is
// accepted; the database changes only on a successful write. The long run (100,000 requests) is
// test/long/fuzz.test.ts. Reproduce a failure with FUZZ_SEED=<the printed seed>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, expectEveryRouteCovered, fuzzWorld, runFuzz, summary, type FuzzWorld } from '../helpers/fuzz.ts';

const requests = Number(process.env.FUZZ_FAST_REQUESTS ?? 3_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261123);

describe('fuzzing every route with hostile input', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await fuzzWorld();
  });
  afterAll(() => w?.t.cleanup());

  it(`answers ${requests} generated requests without a 5xx, with problems, and without state changes from invalid ones`, async () => {
    const started = Date.now();
    console.log(`fuzz seed ${seed} (reproduce with FUZZ_SEED=${seed})`);
    const stats = await runFuzz(w, { requests, seed });
    console.log(summary(stats, appRoutes(w.app), seed, Date.now() - started));
    expect(stats.sent + stats.unsendable).toBe(requests);
    expectEveryRouteCovered(stats, w.app);
    // The generator reaches deep: valid requests succeed on every route, not only refusals.
    const neverSucceeded = appRoutes(w.app).filter((route) => !stats.successByRoute[route]);
    // Reported, not asserted: a route whose valid requests all met a refusal in this run (e.g. account events).
    if (neverSucceeded.length) console.log(`no 2xx/3xx this run: ${neverSucceeded.join(', ')}`);
    expect(stats.stateChanges).toBeGreaterThan(0);
  }, 180_000);
});
