// End to end: the README's start command on a temporary database, driven over real HTTP and
// the CLI, from ingest to registered; then a tampered ledger makes `diarium verify` exit 1.
import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

describe('a started server and the diarium CLI', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-e2e-'));
    url = `file:${join(dir, 'e2e.db')}`;
    server = await startServer(url);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function http(method: string, path: string, key: string | null, body?: unknown) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, etag: response.headers.get('etag'), json: (await response.json()) as any };
  }

  async function cliKey(role: string) {
    const result = await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ role, org: 'tibro' });
    expect(Object.keys(printed).sort()).toEqual(['id', 'key', 'org', 'role']);
    return printed.key as string;
  }

  it('prints one admin key for each of the four preset organisations on an empty database', () => {
    const keys = server.lines.filter((line) => line.role === 'admin');
    expect(keys.map((line) => line.org)).toEqual(['avesta', 'lillesand', 'tibro', 'uppsala']);
    for (const line of keys) expect(String(line.key)).toMatch(/^dia_[0-9a-f]{48}$/);
  });

  it('walks an item from ingest to registered over HTTP, with keys made by the CLI', async () => {
    const admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    const [integrator, officer, registrar] = [await cliKey('integrator'), await cliKey('officer'), await cliKey('registrar')];

    const account = await http('POST', '/v1/accounts', admin, {
      platform: 'facebook', handle: 'tibrokommun', url: 'https://facebook.com/tibrokommun', purpose: 'News',
      audience: 'Residents', ownerUnit: 'Communications', responsible: { name: 'R One', email: 'r@tibro.example' },
      substitute: { name: 'S Two' }, admins: [{ name: 'A' }, { name: 'B' }],
      profile: { logo: true, siteLink: true, contact: true, publicRecordsNotice: true, moderationNotice: true },
    });
    expect(account.status).toBe(201);
    expect((await http('POST', `/v1/accounts/${account.json.id}/events`, admin, { type: 'APPROVE' })).json.status).toBe('active');
    const register = await http('GET', '/v1/orgs/tibro/channels', null);
    expect(register.json.channels.map((c: { id: string }) => c.id)).toEqual([account.json.id]);

    const item = await http('POST', '/v1/items', integrator, {
      accountId: account.json.id, externalId: 'fb-1001', kind: 'comment', direction: 'inbound',
      author: { handle: 'resident', name: 'A Resident' }, text: 'When does the pool open?',
    });
    expect(item.status).toBe(201);
    expect(item.etag).toBe('"1"');
    const id = item.json.id;
    expect((await http('POST', `/v1/items/${id}/events`, officer, {
      type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required',
    })).json.status).toBe('assessed');
    expect((await http('POST', `/v1/items/${id}/events`, officer, { type: 'ANSWER', text: 'At seven.' })).json.status).toBe('answered');
    const registered = await http('POST', `/v1/items/${id}/events`, registrar, { type: 'REGISTER', number: 'KS 2026/17' });
    expect(registered.status).toBe(200);
    expect(registered.json).toMatchObject({ status: 'registered', version: 4, registration: { number: 'KS 2026/17', caseRef: null } });

    const history = await http('GET', `/v1/items/${id}/history`, officer);
    expect(history.json.events.map((e: { type: string }) => e.type)).toEqual(['RECEIVED', 'ASSESS', 'ANSWER', 'REGISTER']);
    expect((await http('GET', `/v1/items/${id}/replay`, officer)).json).toMatchObject({ eventsApplied: 4, matchesStored: true });

    const verified = await diarium(['verify', '--org', 'tibro'], url);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, breaks: [] });
  });

  it('makes `diarium verify` exit 1 and name the item and sequence when an event row is edited', async () => {
    const client = createClient({ url });
    const [row] = (await client.execute("select subject_id, seq from ledger_events where type = 'ANSWER' limit 1")).rows;
    const [itemId, seq] = [String(row!.subject_id), Number(row!.seq)];
    await client.execute({
      sql: "update ledger_events set payload = json_set(payload, '$.referredTo', 'forged') where subject_id = ? and seq = ?",
      args: [itemId, seq],
    });
    client.close();
    const result = await diarium(['verify'], url);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.breaks).toContainEqual(expect.objectContaining({ itemId, seq }));
  });
});
