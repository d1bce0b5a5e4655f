// The per-key request rate: a key past its bucket gets 429 problem+json with Retry-After and
// nothing happens; the bucket refills with the clock; another key is not affected; the public
// register is not counted; a limit of null turns it off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { call, expectProblem, keysFor, type Keys } from '../helpers/http.ts';
import { organisation, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let keys: Keys;
const clock = { now: t0 };
beforeEach(async () => {
  t = await tempDb();
  keys = await keysFor(t, (await organisation(t.store, 'tibro')).id);
  clock.now = t0;
});
afterEach(() => t.cleanup());

const app = (rateLimit: { perSecond: number; burst: number } | null) =>
  createApp({ store: t.store, clock: () => clock.now, rateLimit }, () => {});

describe('the per-key request rate', () => {
  it('answers 429 with Retry-After past the burst, and lets the key in again as the bucket refills', async () => {
    const limited = app({ perSecond: 2, burst: 3 });
    for (let i = 0; i < 3; i++) expect((await call(limited, 'GET', '/v1/accounts', { key: keys.officer.key })).status).toBe(200);
    const refused = await call(limited, 'GET', '/v1/accounts', { key: keys.officer.key });
    expect(expectProblem(refused, 429).detail).toMatch(/2 requests a second/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket; the public register counts against none.
    expect((await call(limited, 'GET', '/v1/accounts', { key: keys.admin.key })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(limited, 'GET', '/v1/orgs/tibro/channels')).status).toBe(200);
    clock.now = new Date(t0.getTime() + 500);
    expect((await call(limited, 'GET', '/v1/accounts', { key: keys.officer.key })).status).toBe(200);
    expect((await call(limited, 'GET', '/v1/accounts', { key: keys.officer.key })).status).toBe(429);
  });

  it('changes nothing when it refuses a write', async () => {
    const limited = app({ perSecond: 1, burst: 1 });
    const body = { platform: 'facebook', handle: 'once' };
    expect((await call(limited, 'POST', '/v1/accounts', { key: keys.admin.key, body })).status).toBe(201);
    expectProblem(await call(limited, 'POST', '/v1/accounts', { key: keys.admin.key, body: { ...body, handle: 'twice' } }), 429);
    clock.now = new Date(t0.getTime() + 1_000);
    const listed = await call(limited, 'GET', '/v1/accounts', { key: keys.admin.key });
    expect(listed.json.accounts.map((a: { handle: string }) => a.handle)).toEqual(['once']);
  });

  it('is off when the limit is null', async () => {
    const open = app(null);
    for (let i = 0; i < 50; i++) expect((await call(open, 'GET', '/v1/accounts', { key: keys.officer.key })).status).toBe(200);
  });
});
