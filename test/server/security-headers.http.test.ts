// Security headers on every answer (issue 19): every route of the app's own route list (so routes
// added later are walked too) × every role and no credentials, whatever the status; no-store on
// downloads; HSTS only over HTTPS, X-Forwarded-Proto only when the proxy is trusted.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../machines/item.events.ts';
import { createApp, type App } from '../../server/app.ts';
import { appRoutes } from '../helpers/fuzz.ts';
import { activeAccountOverHttp, httpWorld, ingest, type HttpWorld } from '../helpers/http.ts';
import { signIn, type Session } from '../helpers/pages.ts';
import { expectSecurityHeaders } from '../helpers/security-headers.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let w: HttpWorld;
let accountId: string;
let itemId: string;
let snapshotSha: string;
const sessions = {} as Record<Role, Session>;

const pdfA = Buffer.from('%PDF-1.4\n<x:xmpmeta><pdfaid:part>1</pdfaid:part></x:xmpmeta>\n% headers\n%%EOF\n', 'latin1');

beforeAll(async () => {
  t = await tempDb();
  w = await httpWorld(t, 'tibro');
  accountId = await activeAccountOverHttp(w);
  itemId = (await ingest(w, accountId)).id;
  const upload = await w.app.request(`/v1/accounts/${accountId}/snapshots`, {
    method: 'POST', headers: { authorization: `Bearer ${w.keys.admin.key}`, 'content-type': 'application/pdf' }, body: pdfA,
  });
  expect(upload.status, await upload.clone().text()).toBe(201);
  snapshotSha = createHash('sha256').update(pdfA).digest('hex');
  for (const role of roles) sessions[role] = await signIn(w.app, w.keys[role].key);
});
afterAll(() => t.cleanup());

/** A concrete path for a route template: this organisation's objects where the route names one. */
function concrete(template: string): string {
  return template
    .replace(':slug', 'tibro')
    .replace(':sha256', snapshotSha)
    .replace(/^\/(v1\/)?accounts\/:id/, (m) => m.replace(':id', accountId))
    .replace(/^\/(v1\/)?items\/:id/, (m) => m.replace(':id', itemId))
    .replace(/:[A-Za-z]+/g, 'x');
}

async function walk(app: App, method: string, path: string, role: Role | null, session?: Session) {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (role) headers.authorization = `Bearer ${w.keys[role].key}`;
  if (session) headers.cookie = session.cookie;
  if (method !== 'GET' && method !== 'HEAD') {
    if (path.startsWith('/v1/')) {
      headers['content-type'] = 'application/json';
      body = '{}';
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(session ? { _csrf: session.csrf } : {}).toString();
    }
  }
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  await response.arrayBuffer();
  return response;
}

describe('every route × every role and no credentials', () => {
  it('walks a route list that includes the API, the pages and the public answers', () => {
    const routes = appRoutes(w.app);
    for (const route of ['GET /v1/items/:id', 'GET /items/:id', 'GET /v1/orgs/:slug/channels', 'GET /openapi.json', 'GET /login']) {
      expect(routes).toContain(route);
    }
  });

  it.each([null, ...roles] as Array<Role | null>)('carries the security headers on every answer, as %s', async (role) => {
    const statuses = new Set<number>();
    for (const route of appRoutes(w.app)) {
      const [method, template] = route.split(' ') as [string, string];
      const path = concrete(template);
      // Signing out ends the session it is sent with: a session of its own.
      const session = role ? (path === '/logout' ? await signIn(w.app, w.keys[role].key) : sessions[role]) : undefined;
      const response = await walk(w.app, method, path, role, session);
      statuses.add(response.status);
      expectSecurityHeaders({ method, path, status: response.status, headers: response.headers });
    }
    // Successes, refusals and redirects alike were checked.
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect([...statuses].some((s) => s >= 400)).toBe(true);
  });

  it('carries them on a 404 for an unknown path and on a refused body', async () => {
    for (const [method, path] of [['GET', '/nowhere'], ['GET', '/v1/nowhere'], ['POST', '/v1/items']] as const) {
      const response = await walk(w.app, method, path, 'integrator');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expectSecurityHeaders({ method, path, status: response.status, headers: response.headers });
    }
  });
});

describe('caching', () => {
  it('never lets a cache keep a downloaded snapshot', async () => {
    const response = await walk(w.app, 'GET', `/v1/accounts/${accountId}/snapshots/${snapshotSha}`, 'auditor');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('never lets a cache keep an authenticated read or page', async () => {
    for (const path of [`/v1/items/${itemId}`, '/v1/items']) {
      const response = await walk(w.app, 'GET', path, 'officer');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const page = await walk(w.app, 'GET', `/items/${itemId}`, null, sessions.officer);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('says how the public register may be cached, and that it varies with Accept', async () => {
    const response = await walk(w.app, 'GET', '/v1/orgs/tibro/channels', null);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(response.headers.get('vary') ?? '').toMatch(/\bAccept\b/i);
    const missing = await walk(w.app, 'GET', '/v1/orgs/nobody/channels', null);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });
});

describe('HTTPS: Strict-Transport-Security and Secure cookies', () => {
  it('is sent over HTTPS and not over plain HTTP', async () => {
    const secure = await w.app.request('https://diarium.example/health');
    expectSecurityHeaders({ method: 'GET', path: '/health', status: secure.status, headers: secure.headers, https: true });
    const plain = await w.app.request('http://diarium.example/health');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('believes X-Forwarded-Proto only when the proxy is trusted', async () => {
    const forwarded = { headers: { 'x-forwarded-proto': 'https' } };
    const untrusted = await w.app.request('/health', forwarded);
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
    const trusting = createApp({ store: t.store, clock: () => w.clock.now, trustProxy: true }, () => {});
    const trusted = await trusting.request('/health', forwarded);
    expect(trusted.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect((await trusting.request('/health', { headers: { 'x-forwarded-proto': 'http' } })).headers.get('strict-transport-security')).toBeNull();
  });

  it('marks the sign-in and session cookies Secure over HTTPS, and over a trusted proxy\'s HTTPS only', async () => {
    const cookies = async (app: App, base: string, headers: Record<string, string> = {}) => {
      const form = await app.request(`${base}/login`, { headers });
      const login = form.headers.get('set-cookie')!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signedIn = await app.request(`${base}/login`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: login.split(';')[0]! },
        body: new URLSearchParams({ key: w.keys.officer.key, _csrf: csrf }).toString(),
      });
      expect(signedIn.status).toBe(303);
      return [login, signedIn.headers.get('set-cookie')!];
    };
    for (const cookie of await cookies(w.app, 'https://diarium.example')) expect(cookie).toMatch(/;\s*Secure/i);
    for (const cookie of await cookies(w.app, 'http://diarium.example', { 'x-forwarded-proto': 'https' })) expect(cookie).not.toMatch(/Secure/i);
    const trusting = createApp({ store: t.store, clock: () => w.clock.now, trustProxy: true }, () => {});
    for (const cookie of await cookies(trusting, 'http://diarium.example', { 'x-forwarded-proto': 'https' })) expect(cookie).toMatch(/;\s*Secure/i);
  });
});
