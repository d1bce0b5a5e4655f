// The per-key request rate: a key past its bucket gets 429 problem+json with Retry-After and
// nothing happens; the bucket refills with the clock; another key is not affected; the public
// register is not counted; a limit of null turns it off. The public register has its own limit per
// client address, with X-Forwarded-For believed only behind a trusted proxy.
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

describe('the public channel register, per client address', () => {
  const publicApp = (publicRateLimit: { perSecond: number; burst: number } | null | undefined, trustProxy = false) =>
    createApp({ store: t.store, clock: () => clock.now, ...(publicRateLimit !== undefined ? { publicRateLimit } : {}), trustProxy }, () => {});

  it('answers 429 problem+json with Retry-After past the burst, and again as the bucket refills', async () => {
    const limited = publicApp({ perSecond: 1, burst: 3 });
    for (let i = 0; i < 3; i++) expect((await call(limited, 'GET', '/v1/orgs/tibro/channels')).status).toBe(200);
    const refused = await call(limited, 'GET', '/v1/orgs/tibro/channels');
    expect(expectProblem(refused, 429).detail).toMatch(/from this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    // The HTML register and an unknown organisation count against the same address.
    expectProblem(await call(limited, 'GET', '/v1/orgs/tibro/channels?format=html'), 429);
    expectProblem(await call(limited, 'GET', '/v1/orgs/nobody/channels'), 429);
    // Keys are not limited by it.
    expect((await call(limited, 'GET', '/v1/accounts', { key: keys.officer.key })).status).toBe(200);
    clock.now = new Date(t0.getTime() + 1_000);
    expect((await call(limited, 'GET', '/v1/orgs/tibro/channels')).status).toBe(200);
    expectProblem(await call(limited, 'GET', '/v1/orgs/tibro/channels'), 429);
  });

  it('is on by default', async () => {
    const limited = publicApp(undefined);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await call(limited, 'GET', '/v1/orgs/tibro/channels')).status);
    expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('tells addresses apart by X-Forwarded-For only behind a trusted proxy', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': `198.51.100.1, ${address}` } });
    const untrusting = publicApp({ perSecond: 1, burst: 1 });
    expect((await call(untrusting, 'GET', '/v1/orgs/tibro/channels', from('203.0.113.1'))).status).toBe(200);
    expect((await call(untrusting, 'GET', '/v1/orgs/tibro/channels', from('203.0.113.2'))).status).toBe(429);
    const trusting = publicApp({ perSecond: 1, burst: 1 }, true);
    expect((await call(trusting, 'GET', '/v1/orgs/tibro/channels', from('203.0.113.1'))).status).toBe(200);
    expect((await call(trusting, 'GET', '/v1/orgs/tibro/channels', from('203.0.113.2'))).status).toBe(200);
    // The proxy appends the real address last: a client cannot pick its bucket by writing the first entry.
    expect((await call(trusting, 'GET', '/v1/orgs/tibro/channels', from('203.0.113.1'))).status).toBe(429);
  });

  it('is off when the limit is null', async () => {
    const open = publicApp(null);
    for (let i = 0; i < 80; i++) expect((await call(open, 'GET', '/v1/orgs/tibro/channels')).status).toBe(200);
  });
});
