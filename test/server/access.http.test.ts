// Access control over every route of the app, as a table written from the contract (API.md and the
// README's endpoint, account-event and pages tables), not from the code under test:
//   1. every route × every role (and no credentials): an allowed role is never answered 401/403;
//      a forbidden one gets 403 (problem+json on /v1, an HTML page on the pages) and nothing in the
//      database changes. Item and account events: each event type × each role.
//      The route list is read from the Hono app itself, so a route added later without a row in
//      `routeTable` fails the first test.
//   2. object-level authorisation (OWASP API1, BOLA): for every route that addresses an object,
//      another organisation's key with a role allowed on that route gets 404 without a trace of the
//      object; with a role not allowed there it gets 403 (the role gate comes first; that leaks nothing).
//   3. keys and session tokens are never stored in plaintext; a revoked key fails at once on the API
//      and its page sessions end.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../db/access/api-keys.ts';
import { apiKeys } from '../../db/schema.ts';
import { accountEventRoles } from '../../machines/account.events.ts';
import { itemEventTypes, roles as codeRoles } from '../../machines/item.events.ts';
import { startExport } from '../../db/archive/export-jobs.ts';
import { createApp, type App } from '../../server/app.ts';
import { t0 } from '../helpers/fixtures.ts';
import { accountBody, itemBody, keysFor, type Keys } from '../helpers/http.ts';
import { organisation } from '../helpers/fixtures.ts';
import { loginForm, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

// ---------------------------------------------------------------------------------------------
// The expected table, from API.md ("Roles", "Item events, v1") and README.md (HTTP endpoints, the
// account events, the pages). Written out by hand so that it can disagree with the code.

const allRoles = ['admin', 'integrator', 'officer', 'registrar', 'auditor'] as const;
type Role = (typeof allRoles)[number];
const any = allRoles;

/** API.md "Item events, v1": who may send which type. `system` is no client role. */
const itemEventWho: Record<string, readonly Role[]> = {
  ASSESS: ['officer'],
  ACKNOWLEDGE: ['officer'],
  ANSWER: ['officer'],
  FORWARD: ['officer'],
  NOTIFY_AUTHOR: ['officer'],
  CAPTURE_EVIDENCE: ['officer', 'integrator'],
  UNPUBLISH: ['officer', 'integrator'],
  REGISTER: ['registrar'],
  CLOSE_CONVERSATION: ['officer', 'integrator'],
  HOLD: ['registrar', 'auditor'],
  RELEASE_HOLD: ['registrar', 'auditor'],
  THIN: ['registrar'],
  DEADLINE_BREACHED: [],
};

/** README "The account lifecycle": who may send which account event. AMEND is the PATCH route. */
const accountEventWho: Record<string, readonly Role[]> = {
  APPROVE: ['admin'],
  KEEP: ['admin', 'officer'],
  CLOSE: ['admin', 'officer'],
  MONITORED: ['admin', 'officer'],
  SNAPSHOT: ['admin', 'officer', 'integrator'],
  SURGE_CONSULTED: ['admin', 'officer'],
  REVIEW_DUE: [],
  MONITORING_MISSED: [],
  SNAPSHOT_DUE: [],
  ADMINS_SHORT: [],
  SURGE_FLAGGED: [],
  CLOSED: [],
};
/** The account page's forms (README: "forms (KEEP, CLOSE, MONITORED, …)"): the same roles. */
const accountFormEvents = ['APPROVE', 'KEEP', 'CLOSE', 'MONITORED', 'SURGE_CONSULTED'] as const;
const accountFormWho = Object.fromEntries(accountFormEvents.map((type) => [type, accountEventWho[type]!]));

type Access =
  /** No credentials needed; any caller. */
  | { kind: 'public' }
  /** Authorization: Bearer KEY; these roles. */
  | { kind: 'key'; roles: readonly Role[] }
  | { kind: 'key'; events: Record<string, readonly Role[]> }
  /** The pages' session cookie; these roles. */
  | { kind: 'session'; roles: readonly Role[] }
  | { kind: 'session'; events: Record<string, readonly Role[]> };

const routeTable: Record<string, Access> = {
  // Public.
  'GET /v1/orgs/:slug/channels': { kind: 'public' },
  'GET /v1/orgs/:slug/ledger/checkpoint': { kind: 'public' },
  'GET /openapi.json': { kind: 'public' },
  'GET /docs': { kind: 'public' },
  'GET /health': { kind: 'public' },
  'GET /assets/app.css': { kind: 'public' },
  'GET /favicon.svg': { kind: 'public' },
  'GET /assets/docs.js': { kind: 'public' },
  'GET /assets/swagger-ui/:file': { kind: 'public' },
  'GET /login': { kind: 'public' },
  'POST /login': { kind: 'public' },
  // Items.
  'POST /v1/items': { kind: 'key', roles: ['integrator'] },
  'GET /v1/items': { kind: 'key', roles: any },
  'GET /v1/items/:id': { kind: 'key', roles: any },
  'POST /v1/items/:id/events': { kind: 'key', events: itemEventWho },
  'GET /v1/items/:id/history': { kind: 'key', roles: any },
  'GET /v1/items/:id/replay': { kind: 'key', roles: any },
  'GET /v1/deadlines': { kind: 'key', roles: any },
  // Accounts.
  'POST /v1/accounts': { kind: 'key', roles: ['admin'] },
  'GET /v1/accounts': { kind: 'key', roles: any },
  'GET /v1/accounts/:id': { kind: 'key', roles: any },
  'PATCH /v1/accounts/:id': { kind: 'key', roles: ['admin'] },
  'POST /v1/accounts/:id/events': { kind: 'key', events: accountEventWho },
  'GET /v1/accounts/:id/history': { kind: 'key', roles: any },
  'GET /v1/accounts/:id/replay': { kind: 'key', roles: any },
  'POST /v1/accounts/:id/snapshots': { kind: 'key', roles: ['admin', 'officer', 'integrator'] },
  'GET /v1/accounts/:id/snapshots': { kind: 'key', roles: any },
  'GET /v1/accounts/:id/snapshots/:sha256': { kind: 'key', roles: any },
  // Audit.
  'GET /v1/audit/verify': { kind: 'key', roles: ['auditor', 'admin'] },
  'GET /v1/audit/thinning': { kind: 'key', roles: ['auditor', 'admin'] },
  // Policy (issue 17): read by any role, changed by an admin.
  'GET /v1/policy': { kind: 'key', roles: any },
  'GET /v1/policy/versions': { kind: 'key', roles: any },
  'PUT /v1/policy': { kind: 'key', roles: ['admin'] },
  'GET /v1/audit/consistency': { kind: 'key', roles: ['auditor', 'admin'] },
  // Archive exports.
  'POST /v1/exports': { kind: 'key', roles: ['auditor', 'admin'] },
  'GET /v1/exports/:id': { kind: 'key', roles: ['auditor', 'admin'] },
  'GET /v1/exports/:id/package': { kind: 'key', roles: ['auditor', 'admin'] },
  // Pages.
  'POST /logout': { kind: 'session', roles: any },
  'GET /': { kind: 'session', roles: any },
  'GET /items': { kind: 'session', roles: any },
  'GET /items/:id': { kind: 'session', roles: any },
  'POST /items/:id/events': { kind: 'session', events: itemEventWho },
  'GET /accounts': { kind: 'session', roles: any },
  'GET /accounts/:id': { kind: 'session', roles: any },
  'POST /accounts/:id/events': { kind: 'session', events: accountFormWho },
  'POST /accounts/:id/snapshots': { kind: 'session', roles: ['admin', 'officer', 'integrator'] },
  'GET /audit': { kind: 'session', roles: ['auditor', 'admin'] },
  'GET /audit/verify': { kind: 'session', roles: ['auditor', 'admin'] },
  'GET /audit/export': { kind: 'session', roles: ['auditor', 'admin'] },
  'GET /policy': { kind: 'session', roles: any },
  'POST /policy': { kind: 'session', roles: ['admin'] },
  'GET /audit/checkpoints': { kind: 'session', roles: ['auditor', 'admin'] },
  'POST /audit/checkpoints': { kind: 'session', roles: ['auditor', 'admin'] },
  'POST /audit/archive': { kind: 'session', roles: ['auditor', 'admin'] },
  'GET /audit/archive/:id': { kind: 'session', roles: ['auditor', 'admin'] },
  'GET /audit/archive/:id/package': { kind: 'session', roles: ['auditor', 'admin'] },
};

// ---------------------------------------------------------------------------------------------
// Request bodies.

const itemEvents: Record<string, Record<string, unknown>> = {
  ASSESS: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
  ACKNOWLEDGE: { type: 'ACKNOWLEDGE', text: 'We will answer within two days.' },
  ANSWER: { type: 'ANSWER', text: 'The library opens at nine.' },
  FORWARD: { type: 'FORWARD', to: 'Culture and leisure' },
  NOTIFY_AUTHOR: { type: 'NOTIFY_AUTHOR', text: 'Your comment breaks our rules and will be removed.' },
  CAPTURE_EVIDENCE: { type: 'CAPTURE_EVIDENCE' },
  UNPUBLISH: { type: 'UNPUBLISH', reason: 'Personal attack', categories: ['personal_attack'] },
  REGISTER: { type: 'REGISTER', number: 'KS 2026/3', caseRef: 'KS 2026/1' },
  CLOSE_CONVERSATION: { type: 'CLOSE_CONVERSATION' },
  HOLD: { type: 'HOLD', reason: 'Requested as evidence' },
  RELEASE_HOLD: { type: 'RELEASE_HOLD', reason: 'No longer needed' },
  THIN: { type: 'THIN', reason: 'Of minor value (TI-13)' },
  DEADLINE_BREACHED: { type: 'DEADLINE_BREACHED', deadline: 'assess', dueAt: '2026-11-24T23:00:00Z' },
};

const accountEvents: Record<string, Record<string, unknown>> = {
  APPROVE: { type: 'APPROVE' },
  KEEP: { type: 'KEEP' },
  CLOSE: { type: 'CLOSE', reason: 'The channel is no longer needed' },
  MONITORED: { type: 'MONITORED' },
  SNAPSHOT: { type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: t0.toISOString() },
  SURGE_CONSULTED: { type: 'SURGE_CONSULTED' },
  REVIEW_DUE: { type: 'REVIEW_DUE', lastActivityAt: null, days: 7, rule: 'TI-5' },
  MONITORING_MISSED: { type: 'MONITORING_MISSED', day: '2026-11-20', rule: 'TI-2' },
  SNAPSHOT_DUE: { type: 'SNAPSHOT_DUE', period: '2026-H2', startsAt: '2026-07-01T00:00:00Z', rule: 'TI-12' },
  ADMINS_SHORT: { type: 'ADMINS_SHORT', adminCount: 1, minAdmins: 2, hasSubstitute: true, rule: 'TI-4' },
  SURGE_FLAGGED: { type: 'SURGE_FLAGGED', count: 11, threshold: 10, windowHours: 24, rule: 'TI-8' },
  CLOSED: { type: 'CLOSED' },
};

/** An event body as the fields of the item page's form (lists as repeated fields). */
function formFields(event: Record<string, unknown>, version: number): Array<[string, string]> {
  const fields: Array<[string, string]> = [['version', String(version)]];
  for (const [name, value] of Object.entries(event)) {
    for (const v of Array.isArray(value) ? value : [value]) fields.push([name, String(v)]);
  }
  return fields;
}

/** A small PDF declaring PDF/A-1 (Tibro accepts no other snapshot format, TI-12). */
const pdfA = (marker: string) =>
  Buffer.from(`%PDF-1.4\n<x:xmpmeta><pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></x:xmpmeta>\n% ${marker}\n%%EOF\n`, 'latin1');
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// One database, one app, two organisations: tibro owns the objects, avesta is the other tenant.

interface Org {
  id: string;
  keys: Keys;
  sessions: Record<Role, Session>;
}

interface Req {
  method: string;
  path: string;
  /** JSON body. */
  body?: unknown;
  /** A raw body with its content type. */
  raw?: { bytes: Buffer; type: string };
  /** A form (pages); the session's CSRF token is added. */
  form?: Array<[string, string]>;
  /** A multipart form with files (the pages' snapshot upload); the session's CSRF token is added. */
  multipart?: Array<[string, string | File]>;
  /** POST /logout ends the session it is sent with: use a fresh one. */
  freshSession?: boolean;
  /** Extra request headers (If-Match). */
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  type: string;
  location: string | null;
  wwwAuthenticate: string | null;
  text: string;
  bytes: Uint8Array;
  json: any;
}

let t: TempDb;
let app: App;
let tibro: Org;
let avesta: Org;
// tibro's shared objects, with personal data that must never show to avesta.
const personal = {
  text: 'Tibro-only: my neighbour Sven Svensson at Storgatan 3 beats his dog',
  authorName: 'Greta Grannsdotter',
  authorHandle: 'greta_g_1972',
  email: 'tibro.ansvarig@tibro.example',
  handle: 'tibrokommun-access',
};
let accountId: string;
let proposedId: string;
let itemId: string;
let snapshotSha: string;
let exportId: string;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${(counter += 1)}`;

async function answer(response: Response): Promise<Answer> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return {
    status: response.status, type: response.headers.get('content-type') ?? '', location: response.headers.get('location'),
    wwwAuthenticate: response.headers.get('www-authenticate'), text, bytes, json,
  };
}

type Credentials = { key?: string | null; session?: Session | null };

async function send(req: Req, creds: Credentials): Promise<Answer> {
  const headers: Record<string, string> = {};
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  Object.assign(headers, req.headers);
  if (creds.key) headers.authorization = `Bearer ${creds.key}`;
  if (creds.session) headers.cookie = creds.session.cookie;
  if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body);
  }
  if (req.raw) {
    headers['content-type'] = req.raw.type;
    body = new Uint8Array(req.raw.bytes);
  }
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams(req.form);
    if (creds.session) form.append('_csrf', creds.session.csrf);
    // Signing in posts the form GET /login handed out, with its pre-session cookie (login CSRF).
    if (req.path === '/login' && !creds.session) {
      const login = await loginForm(app);
      form.append('_csrf', login.csrf);
      headers.cookie = login.cookie;
    }
    body = form.toString();
  }
  if (req.multipart) {
    const form = new FormData();
    for (const [name, value] of req.multipart) form.append(name, value);
    if (creds.session) form.append('_csrf', creds.session.csrf);
    return answer(await app.request(req.path, { method: req.method, headers, body: form }));
  }
  return answer(await app.request(req.path, { method: req.method, headers, ...(body !== undefined ? { body } : {}) }));
}

/** Sends `req` as `role` of `org`, with the credentials the route's kind takes. */
async function as(org: Org, role: Role, access: Access, req: Req): Promise<Answer> {
  if (access.kind === 'session') {
    const session = req.freshSession ? await signIn(app, org.keys[role].key) : org.sessions[role];
    return send(req, { session });
  }
  // Public routes: sent with the role's key, which must neither widen nor narrow them.
  return send(req, { key: org.keys[role].key });
}

/** Everything a refused request must leave alone, across both organisations. */
async function fingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const sql of [
    'select * from organisations order by id',
    'select * from api_keys order by id',
    'select * from accounts order by id',
    'select * from items order by id',
    'select count(*) as n, max(rowid) as last from ledger_events',
    'select count(*) as n from contents',
    'select count(*) as n, count(erased_at) as erased from contents',
    'select count(*) as n from snapshot_files',
    'select count(*) as n from idempotency_keys',
    'select * from deadlines order by rowid',
    'select count(*) as n from thinning_decisions',
  ]) {
    parts.push(JSON.stringify((await t.store.client.execute(sql)).rows));
  }
  return parts.join('\n');
}

async function freshAccount(approve: boolean): Promise<string> {
  const created = await send({ method: 'POST', path: '/v1/accounts', body: { ...accountBody, handle: unique('acct') } }, { key: tibro.keys.admin.key });
  expect(created.status, created.text).toBe(201);
  if (approve) {
    const approved = await send({ method: 'POST', path: `/v1/accounts/${created.json.id}/events`, body: { type: 'APPROVE' } }, { key: tibro.keys.admin.key });
    expect(approved.status, approved.text).toBe(200);
  }
  return String(created.json.id);
}

async function freshItem(kind = 'comment'): Promise<string> {
  const created = await send({ method: 'POST', path: '/v1/items', body: itemBody(accountId, { kind }) }, { key: tibro.keys.integrator.key });
  expect(created.status, created.text).toBe(201);
  return String(created.json.id);
}

/**
 * The request each cell sends: for an allowed role a request that can succeed (fresh objects for
 * the writes), with the statuses that count as success; `event` for the per-event routes.
 */
type Builder = (allowed: boolean, event?: string) => Promise<{ req: Req; ok: number[] }>;

const get = (path: string, ok = [200]): Builder => async () => ({ req: { method: 'GET', path }, ok });

const builders: Record<string, Builder> = {
  'GET /v1/orgs/:slug/channels': async () => get('/v1/orgs/tibro/channels')(true),
  'GET /v1/orgs/:slug/ledger/checkpoint': async () => get('/v1/orgs/tibro/ledger/checkpoint')(true),
  'GET /openapi.json': async () => get('/openapi.json')(true),
  'GET /docs': async () => get('/docs')(true),
  'GET /health': async () => get('/health')(true),
  'GET /assets/app.css': async () => get('/assets/app.css')(true),
  'GET /favicon.svg': async () => get('/favicon.svg')(true),
  'GET /assets/docs.js': async () => get('/assets/docs.js')(true),
  'GET /assets/swagger-ui/:file': async () => get('/assets/swagger-ui/swagger-ui.css')(true),
  'GET /login': async () => get('/login')(true),
  'POST /login': async () => ({ req: { method: 'POST', path: '/login', form: [] }, ok: [303] }), // the key is filled in per role
  'POST /v1/items': async () => ({ req: { method: 'POST', path: '/v1/items', body: itemBody(accountId) }, ok: [201] }),
  'GET /v1/items': async () => get('/v1/items')(true),
  'GET /v1/items/:id': async () => get(`/v1/items/${itemId}`)(true),
  'POST /v1/items/:id/events': async (allowed, event) => ({
    req: {
      method: 'POST',
      path: `/v1/items/${allowed ? await freshItem(event === 'CLOSE_CONVERSATION' ? 'direct_message' : 'comment') : itemId}/events`,
      body: itemEvents[event!],
    },
    ok: [200, 409],
  }),
  'GET /v1/items/:id/history': async () => get(`/v1/items/${itemId}/history`)(true),
  'GET /v1/items/:id/replay': async () => get(`/v1/items/${itemId}/replay`)(true),
  'GET /v1/deadlines': async () => get('/v1/deadlines')(true),
  'POST /v1/accounts': async () => ({ req: { method: 'POST', path: '/v1/accounts', body: { ...accountBody, handle: unique('new') } }, ok: [201] }),
  'GET /v1/accounts': async () => get('/v1/accounts')(true),
  'GET /v1/accounts/:id': async () => get(`/v1/accounts/${accountId}`)(true),
  'PATCH /v1/accounts/:id': async (allowed) => ({
    req: { method: 'PATCH', path: `/v1/accounts/${allowed ? await freshAccount(false) : proposedId}`, body: { purpose: 'Amended purpose' } },
    ok: [200],
  }),
  'POST /v1/accounts/:id/events': async (allowed, event) => ({
    req: {
      method: 'POST',
      path: `/v1/accounts/${event === 'APPROVE' ? (allowed ? await freshAccount(false) : proposedId) : accountId}/events`,
      body: accountEvents[event!],
    },
    ok: [200, 409],
  }),
  'GET /v1/accounts/:id/history': async () => get(`/v1/accounts/${accountId}/history`)(true),
  'GET /v1/accounts/:id/replay': async () => get(`/v1/accounts/${accountId}/replay`)(true),
  'POST /v1/accounts/:id/snapshots': async () => ({
    req: { method: 'POST', path: `/v1/accounts/${accountId}/snapshots`, raw: { bytes: pdfA(unique('upload')), type: 'application/pdf' } },
    ok: [201],
  }),
  'GET /v1/accounts/:id/snapshots': async () => get(`/v1/accounts/${accountId}/snapshots`)(true),
  'GET /v1/accounts/:id/snapshots/:sha256': async () => get(`/v1/accounts/${accountId}/snapshots/${snapshotSha}`)(true),
  'GET /v1/audit/verify': async () => get('/v1/audit/verify')(true),
  'GET /v1/audit/thinning': async () => get('/v1/audit/thinning')(true),
  'GET /v1/policy': async () => get('/v1/policy')(true),
  'GET /v1/policy/versions': async () => get('/v1/policy/versions')(true),
  // A dry run: it can succeed for every admin cell and changes nothing.
  'PUT /v1/policy': async () => ({
    req: { method: 'PUT', path: '/v1/policy?dryRun=true', body: { preset: 'tibro' }, headers: { 'if-match': '"1"' } },
    ok: [200],
  }),
  'GET /v1/audit/consistency': async () => get('/v1/audit/consistency?from=1&to=2')(true),
  // Without ARCHIVE_SCHEMAS a permitted start is refused with 409 (and makes nothing); a job that
  // does not exist answers 404 to a permitted role.
  'POST /v1/exports': async () => ({ req: { method: 'POST', path: '/v1/exports', body: { format: 'noark5', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } }, ok: [409] }),
  'GET /v1/exports/:id': async () => ({ req: { method: 'GET', path: '/v1/exports/00000000-0000-4000-8000-000000000000' }, ok: [404] }),
  'GET /v1/exports/:id/package': async () => ({ req: { method: 'GET', path: '/v1/exports/00000000-0000-4000-8000-000000000000/package' }, ok: [404] }),
  'POST /logout': async () => ({ req: { method: 'POST', path: '/logout', form: [], freshSession: true }, ok: [303] }),
  'GET /': async () => get('/')(true),
  'GET /items': async () => get('/items')(true),
  'GET /items/:id': async () => get(`/items/${itemId}`)(true),
  'POST /items/:id/events': async (allowed, event) => ({
    req: {
      method: 'POST',
      path: `/items/${allowed ? await freshItem(event === 'CLOSE_CONVERSATION' ? 'direct_message' : 'comment') : itemId}/events`,
      form: formFields(itemEvents[event!]!, 1),
    },
    ok: [303, 409],
  }),
  'GET /accounts': async () => get('/accounts')(true),
  'GET /accounts/:id': async () => get(`/accounts/${accountId}`)(true),
  'POST /accounts/:id/events': async (allowed, event) => {
    const id = event === 'APPROVE' ? (allowed ? await freshAccount(false) : proposedId) : allowed ? await freshAccount(true) : accountId;
    const version = event === 'APPROVE' ? 1 : 2;
    const form: Array<[string, string]> = [['type', event!], ['version', String(allowed ? version : 2)]];
    if (event === 'CLOSE') form.push(['reason', 'The channel is no longer needed']);
    return { req: { method: 'POST', path: `/accounts/${id}/events`, form }, ok: [303, 409] };
  },
  'POST /accounts/:id/snapshots': async () => ({
    req: { method: 'POST', path: `/accounts/${accountId}/snapshots`, multipart: [['file', new File([new Uint8Array(pdfA(unique('page upload')))], 'snapshot.pdf', { type: 'application/pdf' })]] },
    ok: [303],
  }),
  'GET /audit': async () => get('/audit')(true),
  'GET /audit/verify': async () => get('/audit/verify')(true),
  'GET /audit/export': async () => get(`/audit/export?itemId=${itemId}`)(true),
  'GET /policy': async () => get('/policy')(true),
  // The dry run of the form: it can succeed for every admin cell and writes nothing.
  'POST /policy': async () => ({
    req: { method: 'POST', path: '/policy', form: [['intent', 'check'], ['version', '1'], ['policy', '{"preset":"tibro"}']] }, ok: [200],
  }),
  'GET /audit/checkpoints': async () => get('/audit/checkpoints')(true),
  // No checkpoint is signed here (no key): a pasted one that is not a checkpoint is refused with 400.
  'POST /audit/checkpoints': async () => ({ req: { method: 'POST', path: '/audit/checkpoints', form: [['checkpoint', '{}']] }, ok: [400] }),
  // Without ARCHIVE_SCHEMAS the form is refused (409) and nothing starts; the job page of tibro's
  // export shows it; its package does not exist yet (409).
  'POST /audit/archive': async () => ({ req: { method: 'POST', path: '/audit/archive', form: [['format', 'noark5'], ['from', '2026-01-01'], ['to', '2026-01-31']] }, ok: [409] }),
  'GET /audit/archive/:id': async () => get(`/audit/archive/${exportId}`)(true),
  'GET /audit/archive/:id/package': async () => get(`/audit/archive/${exportId}/package`, [409])(true),
};

/** The app's own routes, as "METHOD /path", without middleware. */
function appRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

interface Cell {
  route: string;
  role: Role;
  /** The event type on the per-event routes; '' elsewhere. */
  event: string;
  allowed: boolean;
}

function cellsOf(route: string): Cell[] {
  const access = routeTable[route]!;
  if (access.kind === 'public') return allRoles.map((role) => ({ route, role, event: '', allowed: true }));
  if ('events' in access) {
    return Object.entries(access.events).flatMap(([event, who]) => allRoles.map((role) => ({ route, role, event, allowed: who.includes(role) })));
  }
  return allRoles.map((role) => ({ route, role, event: '', allowed: access.roles.includes(role) }));
}
const cells = Object.keys(routeTable).flatMap(cellsOf);

beforeAll(async () => {
  t = await tempDb();
  // Production's app (server/serve.ts) apart from the per-key rate limit: with the clock standing
  // still, its buckets would never refill over the thousands of requests below.
  app = createApp({ store: t.store, clock: () => t0, rateLimit: null }, () => {});
  const makeOrg = async (preset: string): Promise<Org> => {
    const org = await organisation(t.store, preset);
    const keys = await keysFor(t, org.id);
    const sessions = {} as Record<Role, Session>;
    for (const role of allRoles) sessions[role] = await signIn(app, keys[role].key);
    return { id: org.id, keys, sessions };
  };
  tibro = await makeOrg('tibro');
  avesta = await makeOrg('avesta');

  const created = await send({
    method: 'POST', path: '/v1/accounts',
    body: { ...accountBody, handle: personal.handle, responsible: { name: 'Tibro Ansvarig', email: personal.email } },
  }, { key: tibro.keys.admin.key });
  expect(created.status, created.text).toBe(201);
  accountId = created.json.id;
  expect((await send({ method: 'POST', path: `/v1/accounts/${accountId}/events`, body: { type: 'APPROVE' } }, { key: tibro.keys.admin.key })).status).toBe(200);
  proposedId = await freshAccount(false);
  const item = await send({
    method: 'POST', path: '/v1/items',
    body: itemBody(accountId, { text: personal.text, author: { handle: personal.authorHandle, name: personal.authorName } }),
  }, { key: tibro.keys.integrator.key });
  expect(item.status, item.text).toBe(201);
  itemId = item.json.id;
  const bytes = pdfA('tibro-shared-snapshot');
  const uploaded = await send({ method: 'POST', path: `/v1/accounts/${accountId}/snapshots`, raw: { bytes, type: 'application/pdf' } }, { key: tibro.keys.officer.key });
  expect(uploaded.status, uploaded.text).toBe(201);
  snapshotSha = sha256(bytes);
  // An export job of tibro's (started in the database: this app has no archive schemas to run one).
  const job = await startExport(t.store, {
    orgId: tibro.id, format: 'noark5', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', actor: { keyId: null, role: 'auditor' }, now: t0,
  });
  if (!job.ok) throw new Error(job.detail);
  exportId = job.job.id;

  // avesta has objects of its own, so its lists are not trivially empty.
  const own = await send({ method: 'POST', path: '/v1/accounts', body: { ...accountBody, handle: 'avesta-own' } }, { key: avesta.keys.admin.key });
  await send({ method: 'POST', path: `/v1/accounts/${own.json.id}/events`, body: { type: 'APPROVE' } }, { key: avesta.keys.admin.key });
  await send({ method: 'POST', path: '/v1/items', body: itemBody(own.json.id, { text: 'Avesta question' }) }, { key: avesta.keys.integrator.key });
}, 120_000);
afterAll(() => t.cleanup());

// ---------------------------------------------------------------------------------------------

describe('the route table', () => {
  it('has a row for every route the app serves, and no row for a route it does not', () => {
    expect(appRoutes()).toEqual(Object.keys(routeTable).sort());
    expect(Object.keys(builders).sort()).toEqual(Object.keys(routeTable).sort());
  });

  it('names every role and every event type the code knows', () => {
    expect([...codeRoles].sort()).toEqual([...allRoles].sort());
    expect([...itemEventTypes].sort()).toEqual(Object.keys(itemEventWho).sort());
    expect(Object.keys(accountEventRoles).filter((type) => type !== 'AMEND').sort()).toEqual(Object.keys(accountEventWho).sort());
  });

  it('gives no client role a system event', () => {
    expect(itemEventWho.DEADLINE_BREACHED).toEqual([]);
    expect(cells.length).toBeGreaterThan(300);
  });
});

describe('every route × every role (tibro\'s keys on tibro\'s objects)', () => {
  it.each(cells.filter((c) => c.allowed))('$route $event: $role is allowed (never 401/403)', async (cell) => {
    const access = routeTable[cell.route]!;
    const { req, ok } = await builders[cell.route]!(true, cell.event);
    if (cell.route === 'POST /login') req.form = [['key', tibro.keys[cell.role].key], ['next', '/']];
    const result = await as(tibro, cell.role, access, req);
    expect(result.status, `${cell.route} ${cell.event ?? ''} as ${cell.role}: ${result.text.slice(0, 400)}`).not.toBe(401);
    expect(result.status).not.toBe(403);
    expect(ok, `${cell.route} ${cell.event ?? ''} as ${cell.role}: ${result.status} ${result.text.slice(0, 400)}`).toContain(result.status);
  });

  it.each(cells.filter((c) => !c.allowed && !(c.route === 'POST /v1/accounts/:id/events' && accountEventWho[c.event!]!.length === 0)))(
    '$route $event: $role is refused with 403 and nothing changes',
    async (cell) => {
      const access = routeTable[cell.route]!;
      const { req } = await builders[cell.route]!(false, cell.event);
      const before = await fingerprint();
      const result = await as(tibro, cell.role, access, req);
      expect(result.status, `${cell.route} ${cell.event ?? ''} as ${cell.role}: ${result.text.slice(0, 300)}`).toBe(403);
      if (access.kind === 'key') {
        expect(result.type).toMatch(/^application\/problem\+json/);
        expect(result.json).toMatchObject({ status: 403, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
        if (cell.event !== 'DEADLINE_BREACHED') expect(result.json.detail).toContain(cell.role);
      } else {
        // The role gate answered, not the CSRF check (which is also a 403).
        expect(result.type).toMatch(/^text\/html/);
        expect(result.text).not.toContain('The form has expired');
      }
      expect(await fingerprint()).toBe(before);
    },
  );

  // The account machine's system events are not in the client schema: every role gets 400 (the body
  // does not match the contract), where a client's DEADLINE_BREACHED on an item gets 403.
  it.each(cells.filter((c) => c.route === 'POST /v1/accounts/:id/events' && accountEventWho[c.event!]!.length === 0))(
    '$route $event (system only): $role is refused and nothing changes',
    async (cell) => {
      const { req } = await builders[cell.route]!(false, cell.event);
      const before = await fingerprint();
      const result = await as(tibro, cell.role, routeTable[cell.route]!, req);
      expect([400, 403]).toContain(result.status);
      expect(result.type).toMatch(/^application\/problem\+json/);
      expect(await fingerprint()).toBe(before);
    },
  );

  it.each(allRoles.flatMap((role) => ['SNAPSHOT', 'REVIEW_DUE', 'CLOSED', 'AMEND'].map((event) => ({ role, event }))))(
    'the account page takes no form it does not offer: $event from $role changes nothing',
    async ({ role, event }) => {
      const before = await fingerprint();
      const result = await send({ method: 'POST', path: `/accounts/${accountId}/events`, form: [['type', event], ['version', '2']] }, { session: tibro.sessions[role] });
      expect([400, 403]).toContain(result.status);
      expect(await fingerprint()).toBe(before);
    },
  );

  it.each(Object.keys(routeTable))('%s without credentials', async (route) => {
    const access = routeTable[route]!;
    const { req } = await builders[route]!(false, access.kind !== 'public' && 'events' in access ? Object.keys(access.events)[0] : undefined);
    const before = await fingerprint();
    if (access.kind === 'public') {
      const result = await send(req, {});
      expect(result.status, result.text.slice(0, 300)).toBe(route === 'POST /login' ? 401 : 200);
    } else if (access.kind === 'key') {
      // Neither nothing nor a signed-in page session opens the API.
      for (const creds of [{}, { session: tibro.sessions.admin }] as Credentials[]) {
        const result = await send(req, creds);
        expect(result.status, result.text).toBe(401);
        expect(result.type).toMatch(/^application\/problem\+json/);
        expect(result.wwwAuthenticate).toMatch(/^Bearer/);
      }
      expect((await send(req, { key: 'dia_not-a-key' })).status).toBe(401);
    } else {
      // Neither nothing nor an API key opens the pages: GET goes to sign-in, a form post is refused.
      for (const creds of [{}, { key: tibro.keys.admin.key }] as Credentials[]) {
        const result = await send(req, creds);
        if (req.method === 'GET') {
          expect(result.status).toBe(303);
          expect(result.location).toMatch(/^\/login\?next=/);
        } else {
          expect(result.status).toBe(401);
        }
      }
    }
    expect(await fingerprint()).toBe(before);
  });

  it('needs a key on every /v1 path that is not the public register, whatever the path says', async () => {
    for (const path of [
      '/v1/orgs/%2e%2e/items', '/v1/orgs/tibro/channels/../../../items', '/v1/orgs/tibro/channels%2F..%2F..%2F..%2Fitems',
      '/v1/orgs//../items', '/v1/ORGS/tibro/channels', '/v1/items/', `/v1/items/${itemId}/`, '/v1//items', '/v1/nothing-here',
    ]) {
      const result = await send({ method: 'GET', path }, {});
      expect([401, 404], `${path}: ${result.status}`).toContain(result.status);
      expect(result.text).not.toContain(personal.text);
      expect(result.text).not.toContain(itemId);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// BOLA: avesta's keys on tibro's objects.

/** Every route that addresses one object, with the request that names tibro's. */
const objectRequests: Record<string, (event?: string) => Req> = {
  'POST /v1/items': () => ({ method: 'POST', path: '/v1/items', body: itemBody(accountId) }),
  'GET /v1/items/:id': () => ({ method: 'GET', path: `/v1/items/${itemId}` }),
  'POST /v1/items/:id/events': (event) => ({ method: 'POST', path: `/v1/items/${itemId}/events`, body: itemEvents[event!] }),
  'GET /v1/items/:id/history': () => ({ method: 'GET', path: `/v1/items/${itemId}/history` }),
  'GET /v1/items/:id/replay': () => ({ method: 'GET', path: `/v1/items/${itemId}/replay?at=${t0.toISOString()}` }),
  'GET /v1/accounts/:id': () => ({ method: 'GET', path: `/v1/accounts/${accountId}` }),
  'PATCH /v1/accounts/:id': () => ({ method: 'PATCH', path: `/v1/accounts/${accountId}`, body: { purpose: 'Hijacked' } }),
  'POST /v1/accounts/:id/events': (event) => ({
    method: 'POST', path: `/v1/accounts/${event === 'APPROVE' ? proposedId : accountId}/events`, body: accountEvents[event!],
  }),
  'GET /v1/accounts/:id/history': () => ({ method: 'GET', path: `/v1/accounts/${accountId}/history` }),
  'GET /v1/accounts/:id/replay': () => ({ method: 'GET', path: `/v1/accounts/${accountId}/replay` }),
  'POST /v1/accounts/:id/snapshots': () => ({
    method: 'POST', path: `/v1/accounts/${accountId}/snapshots`, raw: { bytes: pdfA('tibro-shared-snapshot'), type: 'application/pdf' },
  }),
  'GET /v1/accounts/:id/snapshots': () => ({ method: 'GET', path: `/v1/accounts/${accountId}/snapshots` }),
  'GET /v1/accounts/:id/snapshots/:sha256': () => ({ method: 'GET', path: `/v1/accounts/${accountId}/snapshots/${snapshotSha}` }),
  'GET /items/:id': () => ({ method: 'GET', path: `/items/${itemId}` }),
  'POST /items/:id/events': (event) => ({ method: 'POST', path: `/items/${itemId}/events`, form: formFields(itemEvents[event!]!, 1) }),
  'GET /accounts/:id': () => ({ method: 'GET', path: `/accounts/${accountId}` }),
  'POST /accounts/:id/events': (event) => ({
    method: 'POST', path: `/accounts/${event === 'APPROVE' ? proposedId : accountId}/events`,
    form: [['type', event!], ['version', '2'], ...(event === 'CLOSE' ? [['reason', 'x'] as [string, string]] : [])],
  }),
  'GET /audit/export': () => ({ method: 'GET', path: `/audit/export?itemId=${itemId}` }),
  'POST /accounts/:id/snapshots': () => ({
    method: 'POST', path: `/accounts/${accountId}/snapshots`,
    multipart: [['file', new File([new Uint8Array(pdfA('tibro-page-snapshot'))], 'snapshot.pdf', { type: 'application/pdf' })]],
  }),
  'GET /v1/exports/:id': () => ({ method: 'GET', path: `/v1/exports/${exportId}` }),
  'GET /v1/exports/:id/package': () => ({ method: 'GET', path: `/v1/exports/${exportId}/package` }),
  'GET /audit/archive/:id': () => ({ method: 'GET', path: `/audit/archive/${exportId}` }),
  'GET /audit/archive/:id/package': () => ({ method: 'GET', path: `/audit/archive/${exportId}/package` }),
};

function expectNoTrace(text: string) {
  for (const secret of [itemId, accountId, proposedId, snapshotSha, exportId, personal.text, personal.authorName, personal.authorHandle, personal.email, personal.handle]) {
    expect(text).not.toContain(secret);
  }
}

/** The text of a body that may be a zip: each file, decompressed. */
function readable(result: Answer): string {
  if (!/zip/.test(result.type)) return result.text;
  return Object.values(unzipSync(result.bytes)).map((file) => new TextDecoder().decode(file)).join('\n');
}

const bolaCells = Object.keys(objectRequests).flatMap(cellsOf);

describe('another organisation\'s objects (OWASP API1, BOLA)', () => {
  it('covers every route with an object in its path', () => {
    const addressed = appRoutes().filter((route) => /:(id|sha256)\b/.test(route));
    expect(addressed.every((route) => route in objectRequests), addressed.join(', ')).toBe(true);
  });

  it.each(bolaCells.filter((c) => c.allowed))(
    '$route $event: avesta\'s $role (allowed there) gets 404 without a trace of tibro\'s object, and nothing changes',
    async (cell) => {
      const access = routeTable[cell.route]!;
      const before = await fingerprint();
      const result = await as(avesta, cell.role, access, objectRequests[cell.route]!(cell.event));
      // The page forms for system-only events are refused by role first (403): no allowed role there.
      expect(result.status, `${cell.route} ${cell.event ?? ''} as ${cell.role}: ${result.text.slice(0, 300)}`).toBe(404);
      if (access.kind === 'key') expect(result.type).toMatch(/^application\/problem\+json/);
      expectNoTrace(readable(result));
      expect(await fingerprint()).toBe(before);
    },
  );

  it.each(bolaCells.filter((c) => !c.allowed))(
    '$route $event: avesta\'s $role (not allowed there) gets 403, with no trace either',
    async (cell) => {
      const access = routeTable[cell.route]!;
      const before = await fingerprint();
      const result = await as(avesta, cell.role, access, objectRequests[cell.route]!(cell.event));
      const systemAccountEvent = cell.route === 'POST /v1/accounts/:id/events' && accountEventWho[cell.event!]!.length === 0;
      // The page forms look the object up before the role (404 first); either order leaks nothing.
      const expected = systemAccountEvent ? [400, 403] : access.kind === 'session' && cell.route.startsWith('POST') ? [403, 404] : [403];
      expect(expected, `${cell.route} ${cell.event ?? ''} as ${cell.role}: ${result.status}`).toContain(result.status);
      expectNoTrace(result.text);
      expect(await fingerprint()).toBe(before);
    },
  );

  it.each(allRoles)('shows avesta\'s %s no trace of tibro in any list, page or export', async (role) => {
    const apiLists = [
      '/v1/items?limit=200', `/v1/items?accountId=${accountId}`, '/v1/accounts', '/v1/accounts?status=active', '/v1/deadlines?limit=200',
    ];
    for (const path of apiLists) {
      const result = await send({ method: 'GET', path }, { key: avesta.keys[role].key });
      expect(result.status, `${path}: ${result.text}`).toBe(200);
      expectNoTrace(result.text);
    }
    const pages = ['/', '/items', `/items?accountId=${accountId}`, `/items?text=${encodeURIComponent('Storgatan')}`, '/accounts'];
    if (role === 'auditor' || role === 'admin') {
      const audit = await send({ method: 'GET', path: '/v1/audit/thinning' }, { key: avesta.keys[role].key });
      expectNoTrace(audit.text);
      const verify = await send({ method: 'GET', path: '/v1/audit/verify' }, { key: avesta.keys[role].key });
      expect(verify.json.ok).toBe(true);
      pages.push('/audit', '/audit/verify', '/audit/export?from=2026-01-01&to=2027-12-31');
    }
    for (const path of pages) {
      const result = await send({ method: 'GET', path }, { session: avesta.sessions[role] });
      expect(result.status, `${path}: ${result.text.slice(0, 300)}`).toBe(200);
      expectNoTrace(readable(result));
    }
  });

  // Last in this block: afterwards avesta legitimately holds a file with the same sha256.
  it('answers tibro\'s snapshot under avesta\'s own account with 404, and takes the same bytes as avesta\'s own new file', async () => {
    const own = await send({ method: 'GET', path: '/v1/accounts' }, { key: avesta.keys.admin.key });
    const ownId = own.json.accounts[0].id;
    const file = await send({ method: 'GET', path: `/v1/accounts/${ownId}/snapshots/${snapshotSha}` }, { key: avesta.keys.auditor.key });
    expect(file.status).toBe(404);
    expectNoTrace(file.text);
    // 200 ("the same file again") would tell avesta that tibro holds these bytes.
    const same = await send(
      { method: 'POST', path: `/v1/accounts/${ownId}/snapshots`, raw: { bytes: pdfA('tibro-shared-snapshot'), type: 'application/pdf' } },
      { key: avesta.keys.officer.key },
    );
    expect(same.status, same.text).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------

describe('keys and sessions', () => {
  it('keeps no key and no session token in plaintext anywhere in the database files', async () => {
    const rows = (await t.store.client.execute('select key_hash from api_keys')).rows.map((row) => String(row.key_hash));
    const keys = [tibro, avesta].flatMap((org) => allRoles.map((role) => org.keys[role].key));
    for (const key of keys) expect(rows).toContain(sha256(key));
    const files = [t.path, `${t.path}-wal`, `${t.path}-journal`].filter(existsSync).map((path) => readFileSync(path).toString('latin1'));
    expect(files.length).toBeGreaterThan(0);
    const tokens = [tibro, avesta].flatMap((org) => allRoles.map((role) => decodeURIComponent(org.sessions[role].cookie.split('=')[1]!)));
    for (const secret of [...keys, ...tokens]) {
      for (const file of files) expect(file.includes(secret), 'a secret in plaintext').toBe(false);
    }
  });

  it('refuses a revoked key at once on the API and ends its page sessions; other keys go on', async () => {
    const key = tibro.keys.registrar;
    const session = await signIn(app, key.key);
    expect((await send({ method: 'GET', path: '/v1/items' }, { key: key.key })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/items' }, { session })).status).toBe(200);
    expect(await revokeApiKey(t.store, key.id, t0)).toBe(true);
    const before = await fingerprint();
    const refused = await send({ method: 'GET', path: '/v1/items' }, { key: key.key });
    expect(refused.status).toBe(401);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    const write = await send({ method: 'POST', path: `/v1/items/${itemId}/events`, body: itemEvents.HOLD }, { key: key.key });
    expect(write.status).toBe(401);
    for (const open of [session, tibro.sessions.registrar]) {
      const page = await send({ method: 'GET', path: '/items' }, { session: open });
      expect(page.status).toBe(303);
      expect(page.location).toMatch(/^\/login/);
      const form = await send({ method: 'POST', path: `/items/${itemId}/events`, form: formFields(itemEvents.HOLD!, 1) }, { session: open });
      expect(form.status).toBe(401);
    }
    // Nor can it sign in again.
    const again = await send({ method: 'POST', path: '/login', form: [['key', key.key]] }, {});
    expect(again.status).toBe(401);
    expect(await fingerprint()).toBe(before);
    expect((await send({ method: 'GET', path: '/v1/items' }, { key: tibro.keys.officer.key })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/items' }, { session: tibro.sessions.officer })).status).toBe(200);
  });
});
