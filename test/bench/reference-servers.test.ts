// The bench's reference servers (bench/references/) as `npm run bench` starts them: processes of
// their own under npm start's V8 flags. The one-transaction and group-commit servers commit what
// they acknowledge, each on a file of its own; the HTTP ceiling server validates the engine's
// bodies and writes nothing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReference, type ReferenceServer } from '../../bench/lib/server.ts';

const post = (url: string, path: string, body: unknown) => fetch(`${url}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
});
const ingestBody = (externalId: string) => ({
  accountId: 'account-1', externalId, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'A question.',
});

let dir: string;
let oneTransaction: ReferenceServer;
let groupCommit: ReferenceServer;
let ceiling: ReferenceServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'diarium-references-'));
  [oneTransaction, groupCommit, ceiling] = await Promise.all([
    startReference(dir, 'one-transaction'), startReference(dir, 'group-commit'), startReference(dir, 'http-ceiling'),
  ]);
});

afterAll(async () => {
  await Promise.all([oneTransaction?.stop(), groupCommit?.stop(), ceiling?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('one-transaction server', () => {
  it('steps a row with a versioned update and an event row each, on a database file of its own', async () => {
    const { ids } = await (await post(oneTransaction.url, '/seed', { n: 2, prefix: 'row' })).json() as { ids: string[] };
    expect(ids).toEqual(['row-0', 'row-1']);
    const hold = await post(oneTransaction.url, '/v1/items/row-0/events', { type: 'HOLD', reason: 'bench' });
    expect(hold.status).toBe(200);
    expect(await hold.json()).toEqual({ id: 'row-0', version: 1 });
    expect(await (await fetch(`${oneTransaction.url}/state`)).json()).toEqual({ held: ['row-0'], events: 1 });
    expect(await (await post(oneTransaction.url, '/v1/items/row-0/events', { type: 'RELEASE_HOLD', reason: 'bench' })).json()).toEqual({ id: 'row-0', version: 2 });
    expect((await post(oneTransaction.url, '/v1/items/missing/events', { type: 'HOLD', reason: 'bench' })).status).toBe(404);
    expect(await (await fetch(`${oneTransaction.url}/state`)).json()).toEqual({ held: [], events: 2 });
    expect(existsSync(join(dir, 'one-transaction.db'))).toBe(true);
    expect(existsSync(join(dir, 'bench.db'))).toBe(false);
  });

  it('ingests a new external key once: the row and its event, then the same id again', async () => {
    const first = await post(oneTransaction.url, '/v1/items', ingestBody('external-1'));
    expect(first.status).toBe(201);
    const { id } = await first.json() as { id: string };
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/); // a UUIDv7 as the product's
    const again = await post(oneTransaction.url, '/v1/items', ingestBody('external-1'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id, version: 1 });
    const { events } = await (await fetch(`${oneTransaction.url}/state`)).json() as { events: number };
    expect(events).toBe(3);
  });
});

describe('group-commit server', () => {
  it('steps rows sent at once, each answered with its version, on a database file of its own', async () => {
    const { ids } = await (await post(groupCommit.url, '/seed', { n: 20, prefix: 'row' })).json() as { ids: string[] };
    expect(ids).toHaveLength(20);
    const held = await Promise.all(ids.map((id) => post(groupCommit.url, `/v1/items/${id}/events`, { type: 'HOLD', reason: 'bench' })));
    expect(await Promise.all(held.map((r) => r.json()))).toEqual(ids.map((id) => ({ id, version: 1 })));
    expect(await (await post(groupCommit.url, '/v1/items/row-3/events', { type: 'RELEASE_HOLD', reason: 'bench' })).json()).toEqual({ id: 'row-3', version: 2 });
    expect((await post(groupCommit.url, '/v1/items/missing/events', { type: 'HOLD', reason: 'bench' })).status).toBe(404);
    const state = await (await fetch(`${groupCommit.url}/state`)).json() as { held: string[]; events: number };
    expect(state.events).toBe(21);
    expect(state.held.sort()).toEqual(ids.filter((id) => id !== 'row-3').sort());
    expect(existsSync(join(dir, 'group-commit.db'))).toBe(true);
  });

  it('ingests an external key once, also when it comes twice in one group', async () => {
    const before = (await (await fetch(`${groupCommit.url}/state`)).json() as { events: number }).events;
    const [first, second, other] = await Promise.all([
      post(groupCommit.url, '/v1/items', ingestBody('external-1')), post(groupCommit.url, '/v1/items', ingestBody('external-1')),
      post(groupCommit.url, '/v1/items', ingestBody('external-2')),
    ]);
    expect([first!.status, second!.status, other!.status]).toEqual([201, 200, 201]);
    const { id } = await first!.json() as { id: string };
    expect(await second!.json()).toEqual({ id, version: 1 });
    expect((await post(groupCommit.url, '/v1/items', ingestBody('external-1'))).status).toBe(200);
    expect((await (await fetch(`${groupCommit.url}/state`)).json() as { events: number }).events).toBe(before + 2);
  });

  it('refuses the bodies the engine would refuse, and writes nothing for them', async () => {
    const events = async () => (await (await fetch(`${groupCommit.url}/state`)).json() as { events: number }).events;
    const before = await events();
    expect((await post(groupCommit.url, '/v1/items/row-0/events', { type: 'HOLD' })).status).toBe(400);
    expect((await post(groupCommit.url, '/v1/items', { ...ingestBody('x'), kind: 'letter' })).status).toBe(400);
    expect((await post(groupCommit.url, '/v1/items', '{"accountId":')).status).toBe(400);
    expect(await events()).toBe(before);
    expect((await post(groupCommit.url, '/v1/items', ingestBody('x'))).status).toBe(201);
    expect(await events()).toBe(before + 1);
  });
});

describe('HTTP ceiling server', () => {
  it('answers a valid item event and refuses one the engine would refuse', async () => {
    const ok = await post(ceiling.url, '/v1/items/any/events', { type: 'HOLD', reason: 'bench' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'any', type: 'HOLD' });
    expect((await post(ceiling.url, '/v1/items/any/events', { type: 'HOLD' })).status).toBe(400); // no reason
    expect((await post(ceiling.url, '/v1/items/any/events', { type: 'HOLD', reason: 'x', extra: 1 })).status).toBe(400); // strict
    expect((await post(ceiling.url, '/v1/items/any/events', '{"type":')).status).toBe(400); // not JSON
  });

  it('answers a valid ingest body and refuses one outside the NewItem rules', async () => {
    const created = await post(ceiling.url, '/v1/items', ingestBody('external-1'));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ externalId: 'external-1' });
    expect((await post(ceiling.url, '/v1/items', { ...ingestBody('x'), kind: 'letter' })).status).toBe(400);
    expect((await post(ceiling.url, '/v1/items', { ...ingestBody('x'), url: 'javascript:alert(1)' })).status).toBe(400);
  });
});

describe('stopping', () => {
  it('SIGTERM stops a reference server: it listens no more', async () => {
    const extra = await startReference(dir, 'http-ceiling');
    await extra.stop();
    await expect(fetch(`${extra.url}/v1/items`, { method: 'POST' })).rejects.toThrow();
  });
});
