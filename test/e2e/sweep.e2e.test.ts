// The schedules over the CLI: a backdated item's missed deadline, found by `diarium sweep --now`
// and read from the item's history over HTTP; two sweep processes on one database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

describe('diarium sweep', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  let keys: Record<string, string>;
  let accountId: string;

  async function http(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  async function backdatedItem(externalId: string, receivedAt: string) {
    const created = await http('POST', '/v1/items', keys.integrator!, {
      accountId, externalId, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'Hello?', receivedAt,
    });
    expect(created.status).toBe(201);
    return created.json;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-sweep-'));
    url = `file:${join(dir, 'sweep.db')}`;
    // The server's own schedules run on the wall clock; here only the CLI's --now may sweep.
    server = await startServer(url, { SCHEDULES: 'off' });
    keys = { admin: String(server.lines.find((line) => line.org === 'avesta')!.key) };
    for (const role of ['integrator', 'officer']) {
      keys[role] = JSON.parse((await diarium(['keys', 'add', '--org', 'avesta', '--role', role], url)).stdout).key;
    }
    const account = await http('POST', '/v1/accounts', keys.admin!, {
      platform: 'facebook', handle: 'avesta', purpose: 'News', audience: 'Residents',
      responsible: { name: 'R' }, substitute: { name: 'S' }, admins: [{ name: 'A' }],
      profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
    });
    accountId = account.json.id;
    await http('POST', `/v1/accounts/${accountId}/events`, keys.admin!, { type: 'APPROVE' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the missed assessment of a backdated item in its history, once (AV-6)', async () => {
    // Received Friday 2026-11-13 10:00 Stockholm: to be assessed by the end of Monday 16 November.
    const item = await backdatedItem('fb-old-1', '2026-11-13T09:00:00Z');
    expect(item.deadlines).toEqual([{ kind: 'assess', dueAt: '2026-11-16T23:00:00.000Z', status: 'open' }]);

    const first = await diarium(['sweep', '--now', '2026-11-17T07:00:00Z', '--job', 'deadlines'], url);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ now: '2026-11-17T07:00:00.000Z', jobs: { deadlines: { ran: true, counts: { breached: 1 } } } });
    const again = await diarium(['sweep', '--now', '2026-11-18T07:00:00Z'], url);
    expect(JSON.parse(again.stdout).jobs.deadlines.counts.breached).toBe(0);

    const history = await http('GET', `/v1/items/${item.id}/history`, keys.officer!);
    const breaches = history.json.events.filter((e: { type: string }) => e.type === 'DEADLINE_BREACHED');
    expect(breaches).toEqual([
      expect.objectContaining({ actor: { keyId: null, role: 'system' }, at: '2026-11-17T07:00:00.000Z', payload: { deadline: 'assess', dueAt: '2026-11-16T23:00:00.000Z' } }),
    ]);
    const breached = await http('GET', '/v1/deadlines?status=breached', keys.officer!);
    expect(breached.json.deadlines).toEqual([expect.objectContaining({ itemId: item.id, kind: 'assess', status: 'breached' })]);
    expect((await http('GET', '/v1/items?overdue=true', keys.officer!)).json.items.map((i: { id: string }) => i.id)).toContain(item.id);
  });

  it('breaches every due deadline exactly once when two sweep processes run at the same time', async () => {
    const items = [];
    for (let i = 0; i < 30; i++) items.push(await backdatedItem(`fb-batch-${i}`, '2026-11-02T09:00:00Z'));
    const runs = await Promise.all([1, 2].map(() => diarium(['sweep', '--now', '2026-11-20T07:00:00Z', '--job', 'deadlines'], url)));
    for (const run of runs) expect(run.code).toBe(0);
    const outcomes = runs.map((run) => JSON.parse(run.stdout).jobs.deadlines);
    const breached = outcomes.reduce((sum, o) => sum + (o.ran ? o.counts.breached : 0), 0);
    expect(breached).toBe(30);
    for (const item of items) {
      const history = await http('GET', `/v1/items/${item.id}/history`, keys.officer!);
      expect(history.json.events.filter((e: { type: string }) => e.type === 'DEADLINE_BREACHED')).toHaveLength(1);
    }
    const verify = await diarium(['verify'], url);
    expect(verify.code).toBe(0);
  });

  it('refuses a --now that is not an ISO instant and an unknown job', async () => {
    expect((await diarium(['sweep', '--now', 'yesterday'], url)).code).toBe(2);
    expect((await diarium(['sweep', '--job', 'nonsense'], url)).code).toBe(2);
  });
});
