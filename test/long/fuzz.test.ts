// `npm run test:long`: at least 100,000 generated requests at every route (FUZZ_REQUESTS to change),
// with the checks of test/server/fuzz.http.test.ts. Reproduce a failure with FUZZ_SEED=<seed>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzEveryRoute, fuzzWorld, type FuzzWorld } from '../helpers/fuzz.ts';

const requests = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('fuzzing every route with hostile input, long run', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await fuzzWorld();
  });
  afterAll(() => w?.t.cleanup());

  it(`answers ${requests} generated requests without a 5xx, with problems, and without state changes from invalid ones`, async () => {
    await fuzzEveryRoute(w, { requests, seed, refreshEvery: 500, log: (line) => console.log(line) });
  });
});
