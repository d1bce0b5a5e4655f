// The started server (`npm start`) on its own output: requests that carry item text, author names
// and e-mail addresses leave no trace of them on stdout or stderr, and failed sign-ins over a real
// socket are limited per client address, whatever X-Forwarded-For says.
import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalContent as personal } from '../helpers/fixtures.ts';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';


describe('the started server\'s output', () => {
  let dir: string;
  let url: string;
  let server: RunningServer;
  const keys: Record<string, string> = {};

  async function http(method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, text, json, headers: response.headers };
  }

  /** As a browser signs in: the sign-in page's pre-session cookie and token, then the key (login CSRF). */
  async function signIn(key: string, headers: Record<string, string> = {}) {
    const form = await fetch(`${server.baseUrl}/login`);
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    return fetch(`${server.baseUrl}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
      body: new URLSearchParams({ key, next: '/', _csrf: csrf }).toString(),
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'diarium-logs-'));
    url = `file:${join(dir, 'logs.db')}`;
    server = await startServer(url, { SCHEDULES: 'off' });
    keys.admin = String(server.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of ['integrator', 'officer']) {
      const made = await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url);
      expect(made.code, made.stderr).toBe(0);
      keys[role] = JSON.parse(made.stdout).key;
    }
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let accountId: string;

  it('shows no personal content after ordinary, refused and invalid requests', async () => {
    const created = await http('POST', '/v1/accounts', keys.admin!, {
      platform: 'facebook', handle: 'tibro-logs', url: 'https://facebook.com/tibro-logs', purpose: 'News', audience: 'Residents',
      ownerUnit: 'Communications', responsible: { name: personal.responsible, email: personal.responsibleEmail },
      substitute: { name: personal.authorName, email: personal.email }, admins: [{ name: 'A' }, { name: 'B' }],
      profile: { contact: true, moderationNotice: true },
    });
    expect(created.status, created.text).toBe(201);
    accountId = created.json.id;
    expect((await http('POST', `/v1/accounts/${accountId}/events`, keys.admin!, { type: 'APPROVE' })).status).toBe(200);
    const item = { accountId, kind: 'comment', direction: 'inbound', author: { handle: personal.authorHandle, name: personal.authorName } };
    const ingested = await http('POST', '/v1/items', keys.integrator!, { ...item, externalId: 'e2e-1', text: `${personal.text} ${personal.email}` });
    expect(ingested.status, ingested.text).toBe(201);
    const id = ingested.json.id;
    const statuses = [
      (await http('POST', `/v1/items/${id}/events`, keys.officer!, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required', note: personal.answer })).status,
      (await http('POST', `/v1/items/${id}/events`, keys.officer!, { type: 'ANSWER', text: personal.answer })).status,
      (await http('POST', `/v1/items/${id}/events`, keys.integrator!, { type: 'ANSWER', text: personal.answer })).status,
      (await http('POST', '/v1/items', keys.integrator!, { ...item, externalId: 'e2e-2', kind: personal.text, text: personal.text })).status,
      (await http('POST', '/v1/items', keys.integrator!, `{"text": "${personal.text}"`)).status,
      (await http('GET', '/v1/items', personal.email)).status,
      (await http('GET', `/v1/items/${encodeURIComponent(personal.email)}`, keys.officer!)).status,
    ];
    expect(statuses).toEqual([200, 200, 403, 400, 400, 401, 404]);
    expect((await signIn(personal.email)).status).toBe(401);
    const { stdout, stderr } = server.output();
    for (const secret of Object.values(personal)) {
      expect(stdout, 'personal content on stdout').not.toContain(secret);
      expect(stderr, 'personal content on stderr').not.toContain(secret);
    }
  });

  it('limits failed sign-ins by the socket\'s address, not by a header the client writes', async () => {
    // One failure above; nine more make ten within fifteen minutes.
    for (let i = 0; i < 9; i += 1) {
      expect((await signIn(`dia_wrong_${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(401);
    }
    const blocked = await signIn(keys.officer!, { 'x-forwarded-for': '198.51.100.7' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('set-cookie')).toBeNull();
  });

  describe('an internal error while storing personal content', () => {
    let stderrOfFailure = '';

    beforeAll(async () => {
      // Broken infrastructure, simulated from a second connection: the content store refuses writes.
      const side = createClient({ url });
      await side.execute(`create trigger refuse_contents before insert on contents begin select raise(abort, 'disk trouble'); end`);
      const before = server.output().stderr.length;
      const failed = await http('POST', '/v1/items', keys.integrator!, {
        accountId, externalId: 'e2e-fail', kind: 'comment', direction: 'inbound',
        author: { handle: personal.authorHandle, name: personal.authorName }, text: personal.failingText,
      });
      expect(failed.status).toBe(500);
      expect(failed.text).not.toContain(personal.failingText);
      await side.execute('drop trigger refuse_contents');
      side.close();
      // stderr arrives through a pipe: wait for the line.
      for (let i = 0; i < 50 && !server.output().stderr.slice(before).includes('internal error'); i += 1) await new Promise((r) => setTimeout(r, 100));
      stderrOfFailure = server.output().stderr.slice(before);
    });

    it('is logged on stderr with the route', () => {
      expect(stderrOfFailure).toContain('internal error on POST /v1/items');
    });

    // server/loggable-error.ts: a failed query is logged by its SQL text, never its parameters.
    it('shows none of the item\'s personal content', () => {
      for (const secret of [personal.failingText, personal.authorName, personal.authorHandle]) {
        expect(stderrOfFailure, 'personal content on stderr').not.toContain(secret);
      }
    });
  });
});
