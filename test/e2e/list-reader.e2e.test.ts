// LIST_READER=thread (db/items/list-reader.ts): `npm start` reads GET /v1/items on a thread of its
// own, from the bundle or the sources as the bin runs; the answer is the one the request's thread
// gives (LIST_READER=off) and the write worker's (the default), an item written a moment before is
// on it, SIGTERM still ends the server, and a value the server does not know stops it before it listens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAccount } from '../helpers/fixtures.ts';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

describe('the server with LIST_READER=thread', () => {
  let dir: string;
  let url: string;
  let threaded: RunningServer;
  let stopped = false;

  const http = async (server: RunningServer, method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-list-reader-'));
    url = `file:${join(dir, 'list.db')}`;
    threaded = await startServer(url, { SCHEDULES: 'off', LIST_READER: 'thread' });
  }, 90_000);
  afterAll(async () => {
    if (!stopped) await threaded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists what the request\'s thread lists, with an item ingested just before', async () => {
    const admin = String(threaded.lines.find((line) => line.org === 'tibro')!.key);
    const made = await diarium(['keys', 'add', '--org', 'tibro', '--role', 'integrator'], url);
    expect(made.code, made.stderr).toBe(0);
    const integrator = (JSON.parse(made.stdout) as { key: string }).key;
    const account = JSON.parse((await http(threaded, 'POST', '/v1/accounts', admin, completeAccount)).text) as { id: string };
    expect((await http(threaded, 'POST', `/v1/accounts/${account.id}/events`, admin, { type: 'APPROVE' })).status).toBe(200);
    const item = JSON.parse((await http(threaded, 'POST', '/v1/items', integrator, {
      accountId: account.id, externalId: 'e2e-1', kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'Öppettider?',
    })).text) as { id: string };

    const listed = await http(threaded, 'GET', `/v1/items?accountId=${account.id}`, admin);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.type).toBe('application/json');
    expect((JSON.parse(listed.text) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([item.id]);

    // The same database served with the pages read on the request's thread, and on the write
    // worker's (the default), answers the same bytes.
    await threaded.stop();
    stopped = true;
    for (const env of [{ LIST_READER: 'off' }, {}] as Array<Record<string, string>>) {
      const other = await startServer(url, { SCHEDULES: 'off', ...env });
      try {
        expect((await http(other, 'GET', `/v1/items?accountId=${account.id}`, admin)).text).toBe(listed.text);
      } finally {
        await other.stop();
      }
    }
  }, 90_000);

  it('refuses a LIST_READER it does not know before it serves', async () => {
    const result = await diarium(['serve'], url, { LIST_READER: 'threads', PORT: '0', SCHEDULES: 'off' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/LIST_READER must be worker/);
  }, 60_000);
});
