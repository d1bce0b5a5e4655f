// Hostile-input fuzzing of the whole HTTP surface (issue 7, point 3), in process via app.request().
//
// Requests are generated with fast-check as compact *specs* (ids are symbolic references into pools
// the runner keeps from the database, huge strings are `{ $huge: n }`), so a failure prints a short
// counterexample and the seed that reproduces the whole run. Valid bodies come from the OpenAPI
// document the app serves (itself generated from the zod contracts); mutations then break them:
// wrong types, missing and extra fields, huge strings, deep nesting, unicode edge cases, injection
// strings, bad If-Match / Idempotency-Key, bad JSON, wrong methods and content types, bad path ids.
//
// After every request the runner checks:
//   - never a 5xx;
//   - an error (4xx) from an API route is application/problem+json with type/title/status(/detail);
//     an error from a page route is an HTML (or text) page, or a problem for unknown paths;
//   - a request the contract rejects (zod says no, no/bad key, no CSRF, malformed header, not JSON)
//     answers 4xx;
//   - a fingerprint of the database (ledger head per organisation, row counts of every table,
//     versions of items and accounts, …) changes only on a successful write (2xx/3xx, POST/PATCH).
//   - every answer carries the security headers (CSP, X-Frame-Options, nosniff) and is no-store unless
//     it is a public answer (issue 19).
import fc from 'fast-check';
import { expect } from 'vitest';
import { createSession } from '../../db/access/sessions.ts';
import { findKeyHolder } from '../../db/access/api-keys.ts';
import { roles, itemEventRoles, itemEventTypes, type Role } from '../../machines/item.events.ts';
import { accountEventRoles } from '../../machines/account.events.ts';
import { createApp, type App } from '../../server/app.ts';
import * as accountsContract from '../../server/routes/accounts.contract.ts';
import * as itemsContract from '../../server/routes/items.contract.ts';
import * as ledgerContract from '../../server/routes/ledger.contract.ts';
import { thinningRoute, verifyRoute } from '../../server/routes/audit.router.ts';
import { listDeadlinesRoute } from '../../server/routes/deadlines.router.ts';
import * as policyContract from '../../server/routes/policy.contract.ts';
import { exportPackageRoute, getExportRoute, startExportRoute } from '../../server/routes/exports.contract.ts';
import { parseIfMatch } from '../../server/routes/if-match.ts';
import { completeAccount, organisation, t0 } from './fixtures.ts';
import { keysFor, type Keys } from './http.ts';
import { loginForm } from './pages.ts';
import { expectedCsp } from './security-headers.ts';
import { tempDb, type TempDb } from './temp-db.ts';

// ---------------------------------------------------------------------------------------------
// The world: two organisations (the fuzzed one and "other", whose ids must answer 404), keys,
// browser sessions, accounts, items and a snapshot, all made through the real HTTP surface.

export interface FuzzWorld {
  t: TempDb;
  app: App;
  clock: { now: Date };
  mainSlug: string;
  otherSlug: string;
  mainOrgId: string;
  otherOrgId: string;
  keys: Keys;
  otherKeys: Keys;
  sessions: Record<Role, { cookie: string; csrf: string }>;
  otherSession: { cookie: string; csrf: string };
  pools: Pools;
}

interface Pools {
  item: string[];
  account: string[];
  activeAccount: string[];
  otherItem: string[];
  otherAccount: string[];
  snapshot: Array<[string, string]>;
}

const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex');
/** A PDF declaring PDF/A-1 in its XMP metadata (Tibro keeps snapshots as pdf/a-1, TI-12). */
const pdf = (n: number) => Buffer.from(`%PDF-1.4\n% fuzz ${n}\n<x:xmpmeta><rdf:Description pdfaid:part="1"/></x:xmpmeta>\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`, 'latin1');

async function req(app: App, method: string, path: string, key: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`fuzz setup: ${method} ${path} → ${response.status} ${text}`);
  return JSON.parse(text);
}

async function sessionFor(w: { t: TempDb; clock: { now: Date } }, key: string) {
  const holder = await findKeyHolder(w.t.store.db, key);
  if (!holder) throw new Error('fuzz setup: no key holder');
  const { token, csrf } = await createSession(w.t.store, holder, w.clock.now);
  return { cookie: `diarium_session=${token}`, csrf };
}

async function populate(app: App, keys: Keys, n: number) {
  const accountIds: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const account = await req(app, 'POST', '/v1/accounts', keys.admin.key, { ...completeAccount, handle: `fuzz-${i}` });
    await req(app, 'POST', `/v1/accounts/${account.id}/events`, keys.admin.key, { type: 'APPROVE' });
    accountIds.push(account.id);
  }
  await req(app, 'POST', '/v1/accounts', keys.admin.key, { platform: 'x', handle: 'proposed-only' });
  for (let i = 0; i < n; i += 1) {
    const item = await req(app, 'POST', '/v1/items', keys.integrator.key, {
      accountId: accountIds[i % 2], externalId: `seed-${i}`, kind: i % 3 === 0 ? 'direct_message' : 'comment', direction: 'inbound',
      author: { handle: 'resident', name: 'A Resident' }, text: `Seed item ${i}`,
    });
    if (i % 2 === 0) {
      await req(app, 'POST', `/v1/items/${item.id}/events`, keys.officer.key, {
        type: 'ASSESS', decision: i % 4 === 0 ? 'answer' : 'no_action', categories: ['question'], registration: 'not_required',
      });
    }
  }
  return accountIds;
}

export async function fuzzWorld(): Promise<FuzzWorld> {
  const t = await tempDb();
  const main = await organisation(t.store, 'tibro', 'tibro');
  const other = await organisation(t.store, 'avesta', 'avesta');
  const keys = await keysFor(t, main.id);
  const otherKeys = await keysFor(t, other.id);
  const clock = { now: t0 };
  // No rate limits (per key, per address): the fuzzer sends as fast as it can (the limiter has its own tests).
  const app = createApp({ store: t.store, clock: () => clock.now, rateLimit: null, publicRateLimit: null }, (line) => console.error(line));
  const accountIds = await populate(app, keys, 8);
  await populate(app, otherKeys, 2);
  const snapshot = await app.request(`/v1/accounts/${accountIds[0]}/snapshots`, {
    method: 'POST', headers: { authorization: `Bearer ${keys.admin.key}`, 'content-type': 'application/pdf' }, body: pdf(-1),
  });
  if (snapshot.status !== 201) throw new Error(`fuzz setup: snapshot → ${snapshot.status} ${await snapshot.text()}`);
  const w = { t, clock };
  const sessions = {} as FuzzWorld['sessions'];
  for (const role of roles) sessions[role] = await sessionFor(w, keys[role].key);
  const world: FuzzWorld = {
    t, app, clock, mainSlug: main.slug, otherSlug: other.slug, mainOrgId: main.id, otherOrgId: other.id, keys, otherKeys, sessions,
    otherSession: await sessionFor(w, otherKeys.admin.key),
    pools: { item: [], account: [], activeAccount: [], otherItem: [], otherAccount: [], snapshot: [] },
  };
  await refreshPools(world);
  return world;
}

async function refreshPools(w: FuzzWorld) {
  const rows = async (sql: string, args: string[] = []) => (await w.t.store.client.execute({ sql, args })).rows;
  const ids = async (sql: string, args: string[]) => (await rows(sql, args)).map((r) => String(r[0]));
  // The newest items first, so that fresh (received) items are often the target.
  w.pools.item = await ids('select id from items where org_id = ? order by id desc limit 200', [w.mainOrgId]);
  w.pools.account = await ids('select id from accounts where org_id = ? order by id limit 50', [w.mainOrgId]);
  w.pools.activeAccount = await ids("select id from accounts where org_id = ? and status = 'active' order by id limit 50", [w.mainOrgId]);
  if (w.pools.activeAccount.length === 0) w.pools.activeAccount = w.pools.account;
  w.pools.otherItem = await ids('select id from items where org_id = ? limit 20', [w.otherOrgId]);
  w.pools.otherAccount = await ids('select id from accounts where org_id = ? limit 20', [w.otherOrgId]);
  w.pools.snapshot = (await rows('select account_id, sha256 from snapshot_files where org_id = ? limit 20', [w.mainOrgId]))
    .map((r) => [String(r[0]), String(r[1])] as [string, string]);
}

// ---------------------------------------------------------------------------------------------
// The fingerprint of the database: anything a request could change.

let fingerprintSql: string | null = null;
let knownRoutes = new Set<string>();
/** The position of the idempotency_keys row count in the fingerprint. */
let idempotencyColumn = -1;

async function fingerprint(w: FuzzWorld): Promise<string> {
  if (!fingerprintSql) {
    const tables = (await w.t.store.client.execute(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
    )).rows.map((r) => String(r[0]));
    const parts = tables.map((table) => `(select count(*) from "${table}")`);
    idempotencyColumn = tables.indexOf('idempotency_keys');
    parts.push("(select group_concat(id || ':' || ledger_seq || ':' || ledger_head, ',') from organisations)");
    parts.push("(select total(version) || ':' || max(updated_at) || ':' || group_concat(status, '') from items)");
    parts.push("(select total(version) || ':' || max(updated_at) || ':' || group_concat(status || handle, '') from accounts)");
    parts.push("(select group_concat(status, '') from deadlines)");
    parts.push('(select count(body) from contents)');
    parts.push('(select count(revoked_at) from api_keys)');
    fingerprintSql = `select ${parts.join(', ')}`;
  }
  const row = (await w.t.store.client.execute(fingerprintSql)).rows[0]!;
  return JSON.stringify(Array.from({ length: row.length }, (_, i) => row[i]));
}

// ---------------------------------------------------------------------------------------------
// The routes. The set the fuzzer covers is asserted to equal the set the app has.

export type RouteKey = string;

/** Every concrete route of the app as `METHOD /path/:param`, from Hono's own table. */
/** The answers anyone may cache (issue 19); every other answer is no-store. */
const publicAnswer = /^\/(v1\/orgs\/[^/]+\/channels|v1\/orgs\/[^/]+\/ledger\/checkpoint|openapi\.json|docs|assets\/.+|favicon\.svg)$/;

export function appRoutes(app: App): RouteKey[] {
  const keys = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    keys.add(`${route.method} ${route.path}`);
  }
  return [...keys].sort();
}

const pageRoutes = new Set([
  'GET /login', 'POST /login', 'POST /logout', 'GET /', 'GET /items', 'GET /items/:id', 'POST /items/:id/events', 'GET /accounts',
  'GET /accounts/:id', 'POST /accounts/:id/events', 'POST /accounts/:id/snapshots', 'GET /audit', 'GET /audit/verify', 'GET /audit/export', 'GET /policy', 'POST /policy',
  'GET /audit/checkpoints', 'POST /audit/checkpoints',
  'POST /audit/archive', 'GET /audit/archive/:id', 'GET /audit/archive/:id/package',
]);

/** The zod contract of each API route, for the oracle "the contract rejects this request". */
const contracts: Record<string, object> = {
  'POST /v1/items': itemsContract.ingestRoute,
  'GET /v1/items': itemsContract.listItemsRoute,
  'GET /v1/items/:id': itemsContract.getItemRoute,
  'POST /v1/items/:id/events': itemsContract.itemEventRoute,
  'GET /v1/items/:id/history': itemsContract.historyRoute,
  'GET /v1/items/:id/replay': itemsContract.replayRoute,
  'POST /v1/accounts': accountsContract.createAccountRoute,
  'GET /v1/accounts': accountsContract.listAccountsRoute,
  'GET /v1/accounts/:id': accountsContract.getAccountRoute,
  'PATCH /v1/accounts/:id': accountsContract.amendAccountRoute,
  'POST /v1/accounts/:id/events': accountsContract.accountEventRoute,
  'GET /v1/accounts/:id/history': accountsContract.accountHistoryRoute,
  'GET /v1/accounts/:id/replay': accountsContract.accountReplayRoute,
  'POST /v1/accounts/:id/snapshots': accountsContract.uploadSnapshotRoute,
  'GET /v1/accounts/:id/snapshots': accountsContract.listSnapshotsRoute,
  'GET /v1/accounts/:id/snapshots/:sha256': accountsContract.getSnapshotRoute,
  'GET /v1/orgs/:slug/channels': accountsContract.channelsRoute,
  'GET /v1/audit/verify': verifyRoute,
  'GET /v1/audit/thinning': thinningRoute,
  'GET /v1/audit/consistency': ledgerContract.consistencyRoute,
  'GET /v1/orgs/:slug/ledger/checkpoint': ledgerContract.publicCheckpointRoute,
  'POST /v1/exports': startExportRoute,
  'GET /v1/exports/:id': getExportRoute,
  'GET /v1/exports/:id/package': exportPackageRoute,
  'GET /v1/deadlines': listDeadlinesRoute,
  'GET /v1/policy': policyContract.getPolicyRoute,
  'GET /v1/policy/versions': policyContract.listPolicyVersionsRoute,
  'PUT /v1/policy': policyContract.putPolicyRoute,
};

// ---------------------------------------------------------------------------------------------
// Specs: what the generator produces and the runner materialises.

type Ref = { $ref: keyof Pools | 'uuid' | 'otherUuid'; i: number };
type Value = unknown;

export interface Spec {
  route: RouteKey;
  method: string;
  /** Path template; `:name` is filled from `params`. */
  path: string;
  params: Record<string, Ref | { raw: string }>;
  query: Array<[string, Value]>;
  auth:
    | { kind: 'key'; role: Role }
    | { kind: 'otherKey'; role: Role }
    | { kind: 'none' }
    | { kind: 'header'; value: string }
    | { kind: 'session'; role: Role }
    | { kind: 'otherSession' }
    | { kind: 'badCookie'; value: string };
  headers: Array<[string, string | { $version: 'item' | 'account' }]>;
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: Value; contentType: string }
    | { kind: 'raw'; text: string | { $huge: number; prefix: string }; contentType: string | null }
    | { kind: 'form'; fields: Array<[string, Value]>; csrf: 'own' | 'none' | 'other' | { raw: string } }
    | { kind: 'file'; file: 'png' | 'pdf' | 'garbage' | 'empty'; contentType: string | null };
  mutation: string;
}

// ---------------------------------------------------------------------------------------------
// Hostile strings.

export const payloads = [
  '<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', '"><svg onload=window.__xss=1>', "'><a href=javascript:alert(1)>x</a>",
  '{{constructor.constructor("return 1")()}}', '${7*7}', "' OR '1'='1", "'; DROP TABLE items; --", '" OR 1=1 --', '1; SELECT * FROM api_keys',
  "Robert'); DELETE FROM ledger_events; --", '%', '_', '\\', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDC00y', '\u202Eevil\u202C', '\u200F\u200E',
  '\uFEFF', '💩', '👩‍👩‍👧‍👦', 'Z̷̧̛̝̓a̵l̶g̴o̵', '\u00C0\u0080', '\xC0\xAF', '\xF0\x9F\x92\xA9', '../../../etc/passwd', '..\\..\\windows', '%2e%2e%2f', '\r\nX-Injected: 1',
  'null', 'undefined', 'true', '0', '-1', '1e309', 'NaN', '__proto__', 'constructor', '', ' ', '\t\n', 'ÅÄÖ åäö', '日本語', 'مرحبا',
];

const textArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...payloads) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.lorem({ maxCount: 5 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...payloads), fc.lorem({ maxCount: 2 })).map(([a, b]) => `${b} ${a} ${b}`) },
);

/** Mostly text that survives `.trim().min(1)`, sometimes not. */
const fieldText = (max: number) =>
  fc.oneof({ weight: 12, arbitrary: textArb.map((s) => (s.trim() || 'x').slice(0, max).trim() || 'x') }, { weight: 1, arbitrary: textArb });

const instantArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -400 * 86_400, max: -1 }).map((s) => new Date(t0.getTime() + s * 1000).toISOString()) },
  fc.integer({ min: -400 * 86_400, max: 60 }).map((s) => new Date(t0.getTime() + s * 1000).toISOString()),
  fc.integer({ min: -300 * 86_400, max: 0 }).map((s) => new Date(t0.getTime() + s * 1000).toISOString().replace('Z', '+02:00')),
  fc.constantFrom('2026-13-40T25:61:00Z', '2026-11-23', 'yesterday', '2026-11-23T09:00:00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2026-11-23T09:00:00.123456789Z'),
);

const urlArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('https://example.org/kommunen', 'http://tibro.se/a?b=c', 'https://www.facebook.com/tibro') },
  { weight: 1, arbitrary: fc.webUrl({ validSchemes: ['https', 'http'] }) },
  fc.constantFrom('javascript:window.__xss=1', 'https://example.org/"><script>window.__xss=1</script>', 'data:text/html,<script>1</script>', 'ftp://x.org', 'https://', 'https://exa mple.org', '//evil.org'),
);

const emailArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('a@example.org', 'ansvarig@tibro.se') }, fc.emailAddress(), fc.constantFrom('a@b', '"<script>"@x.org', 'x@y.org<svg onload=1>', 'no-at-sign'));

// ---------------------------------------------------------------------------------------------
// Valid bodies from the OpenAPI document (JSON Schema 2020-12 as @hono/zod-openapi writes it).

type Schema = Record<string, any>;

export function arbitraryFromSchema(schema: Schema, doc: Schema, name = ''): fc.Arbitrary<Value> {
  if (schema.$ref) {
    const target = doc.components.schemas[String(schema.$ref).split('/').pop()!];
    return arbitraryFromSchema(target, doc, name);
  }
  if (name === 'accountId') return fc.nat().map((i): Ref => ({ $ref: 'activeAccount', i }));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s: Schema) => arbitraryFromSchema(s, doc, name)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  const nullable = Array.isArray(schema.type) && schema.type.includes('null');
  const base = ((): fc.Arbitrary<Value> => {
    switch (type) {
      case 'string': {
        if (schema.format === 'date-time') return instantArb;
        if (schema.format === 'date') return fc.constantFrom('2026-11-20', '2026-11-23', '2026-02-30', '1900-01-01');
        if (schema.format === 'uri') return urlArb;
        if (schema.format === 'email') return emailArb;
        if (schema.format === 'uuid') return fc.uuid();
        if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
        const max = Math.min(schema.maxLength ?? 200, 400);
        return schema.minLength ? fieldText(max) : fc.oneof(fieldText(max), fc.constant(''));
      }
      case 'integer':
      case 'number':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(arbitraryFromSchema(schema.items ?? {}, doc, name), {
          minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
      case 'object': {
        const properties: Record<string, Schema> = schema.properties ?? {};
        const model: Record<string, fc.Arbitrary<Value>> = {};
        for (const [key, value] of Object.entries(properties)) model[key] = arbitraryFromSchema(value, doc, key);
        return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k: string) => k in properties) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return nullable ? fc.option(base, { freq: 5 }) : base;
}

// ---------------------------------------------------------------------------------------------
// Mutations.

const weirdValues = fc.constantFrom<Value>(
  null, 0, -1, 1.5, 1e308, true, false, [], {}, [null], { $where: '1' }, '', ' ', 'x'.repeat(2001), 'y'.repeat(10_001),
  ...payloads.slice(0, 12),
);

/** A value of another JSON type than `value` (never null: some fields are nullable). */
function otherType(value: Value, pick: number): Value {
  const options: Value[] = [42, true, 'text', [1, 'a'], { nested: { deeper: 1 } }];
  const kind = (v: Value) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  const candidates = options.filter((o) => kind(o) !== kind(value));
  return candidates[pick % candidates.length];
}

function deepNest(depth: number, array: boolean): Value {
  let value: Value = 'bottom';
  for (let i = 0; i < depth; i += 1) value = array ? [value] : { a: value };
  return value;
}

const extraKeys = ['priority', '__proto__', 'constructor', 'prototype', 'id', 'version', 'orgId', 'status', 'type2', '', ' ', 'a\u0000b', '💩', '$where'];

type BodyMutation = (body: Record<string, Value>, r: number) => { body: Value; name: string };

const bodyMutations: BodyMutation[] = [
  (b, r) => { const keys = Object.keys(b); const k = keys[r % Math.max(keys.length, 1)]; const c = { ...b }; if (k !== undefined) delete c[k]; return { body: c, name: `drop ${k}` }; },
  (b, r) => { const k = extraKeys[r % extraKeys.length]!; return { body: JSON.parse(JSON.stringify({ ...b }).replace(/^\{/, `{${JSON.stringify(k)}:"extra",`).replace(',}', '}')), name: `extra ${JSON.stringify(k)}` }; },
  (b, r) => { const keys = Object.keys(b); const k = keys[r % Math.max(keys.length, 1)]; return k === undefined ? { body: b, name: 'noop' } : { body: { ...b, [k]: otherType(b[k], r) }, name: `retype ${k}` }; },
  (b, r) => { const keys = Object.keys(b); const k = keys[r % Math.max(keys.length, 1)]; return k === undefined ? { body: b, name: 'noop' } : { body: { ...b, [k]: payloads[r % payloads.length] }, name: `payload ${k}` }; },
  (b, r) => { const keys = Object.keys(b); const k = keys[r % Math.max(keys.length, 1)]; return k === undefined ? { body: b, name: 'noop' } : { body: { ...b, [k]: { $deep: 50 + (r % 1500), array: r % 2 === 0 } }, name: `deep ${k}` }; },
  (b, r) => { const keys = Object.keys(b); const k = keys[r % Math.max(keys.length, 1)]; return k === undefined ? { body: b, name: 'noop' } : { body: { ...b, [k]: 'z'.repeat(1000 + (r % 200_000)) }, name: `long ${k}` }; },
  (_b, r) => ({ body: [null, 0, 'str', [], true, [{}], { $deep: 1500, array: true }][r % 7], name: 'not an object' }),
  (b, r) => ({ body: { ...b, type: ['assess', 'APPROVE', 'AMEND', 'DEADLINE_BREACHED', 'REVIEW_DUE', 'CLOSED', '', null, 1, 'ASSESS ', 'toString', '__proto__'][r % 12] }, name: 'type' }),
];

const rawBodies = [
  '{"type": "ASSESS", ', '{not json', '', ' ', 'null', '[]', '"string"', '{"a":1,}', '{"a":NaN}', '\uFEFF{}', '{"type":"A"}{"type":"B"}',
  "{'single':'quotes'}", '['.repeat(100_000) + ']'.repeat(100_000), `{"type":"ASSESS","note":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"__proto__":{"polluted":true}}', '{"type":"APPROVE","type":"CLOSE"}', '\u0000', '%PDF-1.4',
];

const badIfMatch = ['"abc"', 'W/"1"', '"-1"', '"99999999999"', '"1", "2"', '', ' ', '"', '""', '1.5', 'x'.repeat(101), '"0x1"', 'Ä', '"1"x'];
const badIdempotencyKeys = ['', ' ', 'a b', 'x'.repeat(256), 'ä', '\t', 'k\x7f'];
const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json; charset=utf-16',
  'application/vnd.api+json', 'APPLICATION/JSON', 'json', 'application/xml', 'image/png', 'application/pdf'];
const badIds = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '..', '%2e%2e', '..%2f..%2fhealth', '%2e%2e%2f%2e%2e%2fv1%2fitems', "1'%20OR%20'1'%3D'1",
  '%3Cscript%3E', '%00', '%F0%9F%92%A9', '%ED%A0%80', 'x'.repeat(65), 'a'.repeat(500), '%20', '-1', '1e9', 'null', 'undefined', '%25', '~', "'"];
const pathSuffixes = ['/', '//', '/..', '/../..', '/.%2e/', '/extra', '?', '#frag', '/%2e%2e/%2e%2e/health'];

// ---------------------------------------------------------------------------------------------
// The generator: a route, its valid request, then (often) a mutation.

const roleArb = fc.constantFrom(...roles);
const idRef = (pool: keyof Pools | 'uuid') => fc.nat().map((i): Ref => ({ $ref: pool, i }));
const q = (name: string, arb: fc.Arbitrary<string>) => fc.option(arb.map((v): [string, string] => [name, v]), { nil: undefined });
const queryOf = (...parts: Array<fc.Arbitrary<[string, string] | undefined>>) =>
  fc.tuple(...parts).map((list) => list.filter((x): x is [string, string] => x !== undefined));

interface Template extends Omit<Spec, 'mutation'> {}

function base(route: RouteKey, partial: Partial<Template> = {}): Template {
  const [method, path] = route.split(' ') as [string, string];
  return { route, method, path, params: {}, query: [], auth: { kind: 'none' }, headers: [], body: { kind: 'none' }, ...partial };
}

function jsonBodyArb(doc: Schema, path: string, method: string): fc.Arbitrary<Value> {
  const content = doc.paths[path]?.[method]?.requestBody?.content?.['application/json'];
  if (!content) throw new Error(`no JSON body for ${method} ${path} in the OpenAPI document`);
  return arbitraryFromSchema(content.schema, doc);
}

/** Valid-looking requests per route (the app's routes; the test asserts the two sets are equal). */
export function templateArbitraries(doc: Schema): Record<RouteKey, fc.Arbitrary<Template>> {
  const itemEvent = jsonBodyArb(doc, '/v1/items/{id}/events', 'post') as fc.Arbitrary<Record<string, Value>>;
  const accountEvent = jsonBodyArb(doc, '/v1/accounts/{id}/events', 'post') as fc.Arbitrary<Record<string, Value>>;
  const newItem = jsonBodyArb(doc, '/v1/items', 'post');
  const newAccount = jsonBodyArb(doc, '/v1/accounts', 'post');
  const changes = jsonBodyArb(doc, '/v1/accounts/{id}', 'patch');
  const json = (value: fc.Arbitrary<Value>) => value.map((v) => ({ kind: 'json' as const, value: v, contentType: 'application/json' }));
  const itemId = idRef('item');
  const accountId = idRef('account');
  const ifMatch = fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant<[string, { $version: 'item' }]>(['if-match', { $version: 'item' }]) }, fc.nat({ max: 12 }).map((n): [string, string] => ['if-match', `"${n}"`]), fc.constant<[string, string]>(['if-match', '*'])), { nil: undefined });
  const accountIfMatch = fc.option(fc.oneof({ weight: 3, arbitrary: fc.constant<[string, { $version: 'account' }]>(['if-match', { $version: 'account' }]) }, fc.nat({ max: 12 }).map((n): [string, string] => ['if-match', `"${n}"`])), { nil: undefined });
  const idemKey = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).map((k): [string, string] => ['idempotency-key', k]), { nil: undefined });
  const anyRole = fc.oneof({ weight: 4, arbitrary: fc.constant<Role | null>(null) }, { weight: 1, arbitrary: roleArb });
  const roleFor = (allowed: readonly string[]) => anyRole.map((r): Role => r ?? ((allowed.find((a) => a !== 'system') ?? 'admin') as Role));
  const get = (route: RouteKey, params: Template['params'] = {}, query: fc.Arbitrary<Array<[string, string]>> = fc.constant([])) =>
    fc.tuple(roleArb, query).map(([role, query]) => base(route, { params, query, auth: { kind: 'key', role } }));
  const withId = (route: RouteKey, pool: keyof Pools, query: fc.Arbitrary<Array<[string, string]>> = fc.constant([])) =>
    fc.tuple(roleArb, idRef(pool), query).map(([role, id, query]) => base(route, { params: { id }, query, auth: { kind: 'key', role } }));
  const page = (route: RouteKey, params: Record<string, fc.Arbitrary<Ref>> = {}, query: fc.Arbitrary<Array<[string, string]>> = fc.constant([])) =>
    fc.tuple(roleArb, fc.record(params), query).map(([role, p, query]) => base(route, { params: p, query, auth: { kind: 'session', role } }));
  const day = fc.constantFrom('2026-11-01', '2026-11-23', '2026-11-30', '2026-02-30', 'x', '');

  return {
    'GET /health': fc.constant(base('GET /health')),
    'GET /assets/app.css': fc.constant(base('GET /assets/app.css')),
    'GET /favicon.svg': fc.constant(base('GET /favicon.svg')),
    'GET /assets/docs.js': fc.constant(base('GET /assets/docs.js')),
    'GET /assets/swagger-ui/:file': fc.constantFrom('swagger-ui.css', 'swagger-ui-bundle.js', 'index.html', '..%2Fpackage.json')
      .map((file) => base('GET /assets/swagger-ui/:file', { params: { file: { raw: file } } })),
    'GET /openapi.json': fc.constant(base('GET /openapi.json')),
    'GET /docs': fc.constant(base('GET /docs')),
    'GET /v1/orgs/:slug/channels': fc.tuple(fc.constantFrom('tibro', 'avesta', 'nowhere', 'TIBRO'), q('format', fc.constantFrom('json', 'html')), fc.boolean())
      .map(([slug, format, html]) => base('GET /v1/orgs/:slug/channels', {
        params: { slug: { raw: slug } }, query: format ? [format] : [], headers: html ? [['accept', 'text/html']] : [],
      })),
    'POST /v1/items': fc.tuple(newItem, roleFor(['integrator'])).map(([body, role]) => base('POST /v1/items', {
      auth: { kind: 'key', role }, body: { kind: 'json', value: body, contentType: 'application/json' },
    })),
    'GET /v1/items': get('GET /v1/items', {}, queryOf(
      q('status', fc.constantFrom('received', 'assessed', 'thinned', 'registered')), q('accountId', fc.uuid()), q('overdue', fc.constantFrom('true', 'false')),
      q('limit', fc.integer({ min: 1, max: 200 }).map(String)), q('cursor', fc.uuid()),
    )),
    'GET /v1/items/:id': withId('GET /v1/items/:id', 'item'),
    'GET /v1/items/:id/history': withId('GET /v1/items/:id/history', 'item'),
    'GET /v1/items/:id/replay': withId('GET /v1/items/:id/replay', 'item', queryOf(q('at', instantArb))),
    'POST /v1/items/:id/events': itemEvent.chain((event) => fc.tuple(roleFor(itemEventRoles[event.type as keyof typeof itemEventRoles] ?? []), itemId, ifMatch, idemKey)
      .map(([role, id, m, k]) => base('POST /v1/items/:id/events', {
        auth: { kind: 'key', role }, params: { id }, headers: ([m, k] as Array<Spec['headers'][number] | undefined>).filter((h): h is Spec['headers'][number] => h !== undefined),
        body: { kind: 'json', value: event, contentType: 'application/json' },
      }))),
    'POST /v1/accounts': fc.tuple(newAccount, roleFor(['admin'])).map(([body, role]) => base('POST /v1/accounts', {
      auth: { kind: 'key', role }, body: { kind: 'json', value: body, contentType: 'application/json' },
    })),
    'GET /v1/accounts': get('GET /v1/accounts', {}, queryOf(q('status', fc.constantFrom('proposed', 'active', 'review_due', 'closed')))),
    'GET /v1/accounts/:id': withId('GET /v1/accounts/:id', 'account'),
    'PATCH /v1/accounts/:id': fc.tuple(changes, roleFor(['admin']), accountId, accountIfMatch).map(([body, role, id, m]) => base('PATCH /v1/accounts/:id', {
      auth: { kind: 'key', role }, params: { id }, headers: m ? [m] : [], body: { kind: 'json', value: body, contentType: 'application/json' },
    })),
    'POST /v1/accounts/:id/events': accountEvent.chain((event) => fc.tuple(roleFor(accountEventRoles[event.type as keyof typeof accountEventRoles] ?? []), accountId, accountIfMatch)
      .map(([role, id, m]) => base('POST /v1/accounts/:id/events', {
        auth: { kind: 'key', role }, params: { id }, headers: m ? [m] : [], body: { kind: 'json', value: event, contentType: 'application/json' },
      }))),
    'GET /v1/accounts/:id/history': withId('GET /v1/accounts/:id/history', 'account'),
    'GET /v1/accounts/:id/replay': withId('GET /v1/accounts/:id/replay', 'account', queryOf(q('at', instantArb))),
    'POST /v1/accounts/:id/snapshots': fc.tuple(roleFor(['admin', 'officer', 'integrator']), accountId, fc.constantFrom('pdf', 'pdf', 'pdf', 'png', 'garbage', 'empty') as fc.Arbitrary<'png' | 'pdf' | 'garbage' | 'empty'>,
      queryOf(q('takenAt', instantArb), q('final', fc.constantFrom('true', 'false'))), fc.integer({ min: 0, max: 4 }).map((n) => n > 0))
      .map(([role, id, file, query, honest]) => base('POST /v1/accounts/:id/snapshots', {
        auth: { kind: 'key', role }, params: { id }, query,
        body: { kind: 'file', file, contentType: honest ? (file === 'png' ? 'image/png' : 'application/pdf') : file === 'png' ? 'application/pdf' : 'image/png' },
      })),
    'GET /v1/accounts/:id/snapshots': withId('GET /v1/accounts/:id/snapshots', 'account'),
    'GET /v1/accounts/:id/snapshots/:sha256': fc.tuple(roleArb, fc.nat()).map(([role, i]) => base('GET /v1/accounts/:id/snapshots/:sha256', {
      auth: { kind: 'key', role }, params: { id: { $ref: 'snapshot', i }, sha256: { $ref: 'snapshot', i } },
    })),
    'GET /v1/audit/verify': get('GET /v1/audit/verify'),
    'GET /v1/audit/consistency': get('GET /v1/audit/consistency', {}, queryOf(
      q('from', fc.constantFrom('1', '2', '3', '0', '-1', 'x', '1e9')), q('to', fc.constantFrom('1', '2', '5', '100', '0', 'x')),
    )),
    'GET /v1/orgs/:slug/ledger/checkpoint': fc.constantFrom('tibro', 'avesta', 'nowhere', 'TIBRO')
      .map((slug) => base('GET /v1/orgs/:slug/ledger/checkpoint', { params: { slug: { raw: slug } } })),
    'GET /audit/checkpoints': page('GET /audit/checkpoints'),
    'POST /audit/checkpoints': fc.tuple(roleArb, fc.constantFrom('', '{}', 'x', '{"checkpoint":{}}', '{"org":"tibro","size":1}', '[1]', 'null', '"\u0000"'))
      .map(([role, text]) => base('POST /audit/checkpoints', { auth: { kind: 'session', role }, body: { kind: 'form', csrf: 'own', fields: [['checkpoint', text]] } })),
    'GET /v1/audit/thinning': get('GET /v1/audit/thinning', {}, queryOf(q('limit', fc.integer({ min: 1, max: 200 }).map(String)), q('cursor', fc.uuid()))),
    'POST /v1/exports': fc.tuple(
      fc.record({ format: fc.constantFrom('noark5', 'eark-sip', 'zip'), from: instantArb, to: instantArb, accountId: fc.option(fc.uuid(), { nil: undefined }) }, { requiredKeys: ['format', 'from', 'to'] }),
      roleFor(['auditor', 'admin']),
    ).map(([body, role]) => base('POST /v1/exports', { auth: { kind: 'key', role }, body: { kind: 'json', value: body, contentType: 'application/json' } })),
    'GET /v1/exports/:id': fc.tuple(roleArb, idRef('uuid')).map(([role, id]) => base('GET /v1/exports/:id', { params: { id }, auth: { kind: 'key', role } })),
    'GET /v1/exports/:id/package': fc.tuple(roleArb, idRef('uuid')).map(([role, id]) => base('GET /v1/exports/:id/package', { params: { id }, auth: { kind: 'key', role } })),
    'GET /v1/deadlines': get('GET /v1/deadlines', {}, queryOf(
      q('status', fc.constantFrom('open', 'met', 'breached', 'cancelled')), q('kind', fc.constantFrom('assess', 'answer', 'remove')),
      q('limit', fc.integer({ min: 1, max: 200 }).map(String)), q('cursor', fc.string({ minLength: 1, maxLength: 40 })),
    )),
    'GET /v1/policy': get('GET /v1/policy'),
    'GET /v1/policy/versions': get('GET /v1/policy/versions'),
    // A change (or its dry run): a preset, a preset with overrides good or bad, an unknown preset, a fragment of a policy.
    'PUT /v1/policy': fc.tuple(
      fc.constantFrom<Value>(
        { preset: 'tibro' }, { preset: 'avesta', overrides: { accounts: { minAdmins: 3 } } }, { preset: 'tibro', overrides: { accounts: { minAdmins: 0 } } },
        { preset: 'tibro', overrides: { thinning: { rule: 'NOPE-1' } } }, { preset: 'nowhere' }, { name: 'Half a policy', country: 'DK' }, [],
      ),
      roleFor(['admin']), fc.option(fc.nat({ max: 4 }).map((n): [string, string] => ['if-match', `"${n}"`]), { nil: undefined }),
      queryOf(q('dryRun', fc.constantFrom('true', 'false', 'yes'))),
    ).map(([body, role, m, query]) => base('PUT /v1/policy', {
      auth: { kind: 'key', role }, headers: m ? [m] : [], query, body: { kind: 'json', value: body, contentType: 'application/json' },
    })),
    // Pages.
    'GET /login': queryOf(q('next', fc.constantFrom('/', '/items', '//evil.org', 'https://evil.org', '/\\evil', 'javascript:alert(1)', '/items?x="><script>'))).map((query) => base('GET /login', { query })),
    // 'own': the token of the sign-in page's pre-session cookie (login CSRF); 'none': a cross-site post.
    'POST /login': fc.tuple(fc.oneof(roleArb.map((r): Value => ({ $key: r })), textArb), fc.constantFrom('/', '/items', '//evil.org', '/audit'), fc.constantFrom('own', 'own', 'none') as fc.Arbitrary<'own' | 'none'>).map(([key, next, csrf]) => base('POST /login', {
      body: { kind: 'form', fields: [['key', key], ['next', next]], csrf },
    })),
    'POST /logout': roleArb.map((role) => base('POST /logout', { auth: { kind: 'session', role }, body: { kind: 'form', fields: [], csrf: 'own' } })),
    'GET /': page('GET /'),
    'GET /items': page('GET /items', {}, queryOf(
      q('status', fc.constantFrom('received', 'assessed', '', 'bogus')), q('kind', fc.constantFrom('comment', 'direct_message', '')), q('direction', fc.constantFrom('inbound', 'outbound')),
      q('overdue', fc.constantFrom('1', '')), q('from', day), q('to', day), q('text', textArb), q('before', fc.uuid()), q('accountId', fc.uuid()),
      q('sort', fc.constantFrom('received-desc', 'received-asc', 'bogus')),
      q('after', fc.oneof(fc.uuid().map((id) => `2026-11-23T09:00:00.000Z_${id}`), fc.constantFrom('x', '2026-11-23_1'))),
    )),
    'GET /items/:id': page('GET /items/:id', { id: idRef('item') }, queryOf(q('asOf', instantArb), q('seq', fc.integer({ min: -1, max: 20 }).map(String)))),
    'POST /items/:id/events': fc.tuple(itemEvent, idRef('item'), anyRole, fc.boolean()).map(([event, id, role, version]) => base('POST /items/:id/events', {
      auth: { kind: 'session', role: role ?? ((itemEventRoles[event.type as keyof typeof itemEventRoles] ?? []).find((r) => r !== 'system') as Role | undefined) ?? 'officer' },
      params: { id },
      body: {
        kind: 'form', csrf: 'own',
        fields: [
          ...Object.entries(event).flatMap(([k, v]): Array<[string, Value]> => (Array.isArray(v) ? v.map((x): [string, Value] => [k, x]) : [[k, v]])),
          ...(version ? [['version', { $version: 'item' }] as [string, Value]] : []),
        ],
      },
    })),
    'GET /accounts': page('GET /accounts', {}, queryOf(q('after', fc.uuid()))),
    'GET /accounts/:id': page('GET /accounts/:id', { id: idRef('account') }, queryOf(q('before', fc.integer({ min: -5, max: 50 }).map(String)))),
    'POST /accounts/:id/events': fc.tuple(fc.constantFrom('APPROVE', 'KEEP', 'MONITORED', 'SURGE_CONSULTED', 'CLOSE', 'SNAPSHOT', 'AMEND', ''), idRef('account'), anyRole, fieldText(300), day, fc.boolean())
      .map(([type, id, role, reason, d, version]) => base('POST /accounts/:id/events', {
        auth: { kind: 'session', role: role ?? 'admin' }, params: { id },
        body: {
          kind: 'form', csrf: 'own',
          fields: [['type', type], ...(type === 'CLOSE' ? [['reason', reason] as [string, Value]] : []), ...(type === 'MONITORED' && d ? [['day', d] as [string, Value]] : []),
            ...(version ? [['version', { $version: 'account' }] as [string, Value]] : [])],
        },
      })),
    // The upload sent as the fuzzer's plain forms: without a file, or with a file's name as text.
    'POST /accounts/:id/snapshots': fc.tuple(idRef('account'), anyRole, fc.constantFrom('', 'snapshot.pdf'), day, fc.boolean())
      .map(([id, role, file, d, final]) => base('POST /accounts/:id/snapshots', {
        auth: { kind: 'session', role: role ?? 'officer' }, params: { id },
        body: { kind: 'form', csrf: 'own', fields: [['file', file], ['takenOn', d], ...(final ? [['final', 'true'] as [string, Value]] : [])] },
      })),
    'GET /audit': page('GET /audit', {}, queryOf(q('before', fc.uuid()))),
    'GET /audit/verify': page('GET /audit/verify', {}, queryOf(
      q('chunk', fc.constantFrom('1', '100', '2000', '10000', '0', '-1', 'x', '1e9')), q('at', fc.constantFrom('0', '0', '0', '1', '5', '50', '-1', 'x')), q('n', fc.constantFrom('0', '1', '-1', 'x')),
      q('b', fc.constantFrom('', '1,2', 'x')), q('sig', fc.constantFrom('', 'x', 'a'.repeat(64))),
    )),
    'POST /audit/archive': fc.tuple(roleArb, fc.constantFrom('noark5', 'eark-sip', 'zip', ''), day, day).map(([role, format, from, to]) => base('POST /audit/archive', {
      auth: { kind: 'session', role }, body: { kind: 'form', fields: [['format', format], ['from', from], ['to', to]], csrf: 'own' },
    })),
    'GET /audit/archive/:id': page('GET /audit/archive/:id', { id: idRef('uuid') }),
    'GET /audit/archive/:id/package': page('GET /audit/archive/:id/package', { id: idRef('uuid') }),
    'GET /audit/export': fc.tuple(roleArb, fc.oneof(
      fc.nat().map((i): Array<[string, Value]> => [['itemId', { $ref: 'item', i }]]),
      fc.tuple(day, day).map(([from, to]): Array<[string, Value]> => [['from', from], ['to', to]]),
      fc.tuple(instantArb, instantArb).map(([from, to]): Array<[string, Value]> => [['from', from], ['to', to]]),
      fc.constant<Array<[string, Value]>>([]),
    )).map(([role, query]) => base('GET /audit/export', { auth: { kind: 'session', role }, query })),
    'GET /policy': page('GET /policy'),
    // The policy form: a check (dry run) or a save, of a preset, a bad override, or no JSON at all.
    'POST /policy': fc.tuple(
      fc.constantFrom('check', 'save', ''), fc.constantFrom('1', '2', '', 'x'),
      fc.constantFrom('{"preset":"tibro"}', '{"preset":"avesta","overrides":{"accounts":{"minAdmins":3}}}', '{"preset":"tibro","overrides":{"thinning":{"rule":"NO-1"}}}', '{', '[]'),
      anyRole,
    ).map(([intent, version, policy, role]) => base('POST /policy', {
      auth: { kind: 'session', role: role ?? 'admin' },
      body: { kind: 'form', csrf: 'own', fields: [['intent', intent], ['version', version], ['policy', policy]] },
    })),
  };
}

/** Mutations of a valid request; each names itself (the name shows in failures and stats). */
function mutate(template: Template, choice: number, r: number, text: string): Spec {
  const spec: Spec = { ...template, params: { ...template.params }, query: [...template.query], headers: [...template.headers], mutation: 'none' };
  const isPage = pageRoutes.has(template.route);
  const paramNames = Object.keys(spec.params);
  switch (choice) {
    case 0: { // body: structural mutations
      if (spec.body.kind === 'json' && spec.body.value && typeof spec.body.value === 'object' && !Array.isArray(spec.body.value)) {
        const m = bodyMutations[r % bodyMutations.length]!(spec.body.value as Record<string, Value>, Math.floor(r / bodyMutations.length));
        spec.body = { ...spec.body, value: m.body };
        spec.mutation = `body: ${m.name}`;
      } else if (spec.body.kind === 'form') {
        const fields = [...spec.body.fields];
        if (fields.length && r % 3 === 0) fields.splice(r % fields.length, 1);
        else if (fields.length && r % 3 === 1) fields[r % fields.length] = [fields[r % fields.length]![0], payloads[r % payloads.length]];
        else fields.push([extraKeys[r % extraKeys.length]!, 'x'.repeat(r % 3 ? 10 : 70_000)]);
        spec.body = { ...spec.body, fields };
        spec.mutation = 'form fields';
      } else {
        spec.body = { kind: 'raw', text: rawBodies[r % rawBodies.length]!, contentType: 'application/json' };
        spec.mutation = 'raw body on a bodiless route';
      }
      break;
    }
    case 1: // bad JSON
      spec.body = { kind: 'raw', text: rawBodies[r % rawBodies.length]!, contentType: isPage ? 'application/x-www-form-urlencoded' : 'application/json' };
      spec.mutation = 'bad JSON';
      break;
    case 2: // huge body (over the 1 MiB limit, or just under it)
      spec.body = { kind: 'raw', text: { $huge: r % 2 ? 1024 * 1024 + 1 + (r % 1000) : 900_000, prefix: '{"text":"' }, contentType: isPage ? 'application/x-www-form-urlencoded' : 'application/json' };
      spec.mutation = 'huge body';
      break;
    case 3: // content type
      if (spec.body.kind === 'json') spec.body = { ...spec.body, contentType: contentTypes[r % contentTypes.length]! };
      else if (spec.body.kind === 'file' || spec.body.kind === 'raw') spec.body = { ...spec.body, contentType: r % 4 === 0 ? null : contentTypes[r % contentTypes.length]! };
      else if (spec.body.kind === 'form') spec.body = { kind: 'raw', text: JSON.stringify(Object.fromEntries(spec.body.fields.map(([k, v]) => [k, typeof v === 'string' ? v : 'x']))), contentType: 'application/json' };
      else spec.headers.push(['content-type', contentTypes[r % contentTypes.length]!]);
      spec.mutation = 'content type';
      break;
    case 4: { // method
      const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'].filter((m) => m !== spec.method);
      spec.method = methods[r % methods.length]!;
      spec.mutation = `method ${spec.method}`;
      break;
    }
    case 5: { // auth
      const options: Spec['auth'][] = isPage
        ? [{ kind: 'none' }, { kind: 'otherSession' }, { kind: 'badCookie', value: 'diarium_session=deadbeef' }, { kind: 'badCookie', value: `diarium_session=${'a'.repeat(101)}` },
          { kind: 'key', role: 'admin' }, { kind: 'session', role: roles[r % roles.length]! }]
        : [{ kind: 'none' }, { kind: 'header', value: 'Bearer dia_000000000000000000000000000000000000000000000000' }, { kind: 'header', value: 'Basic YWRtaW46YWRtaW4=' },
          { kind: 'header', value: `Bearer ${'k'.repeat(201)}` }, { kind: 'header', value: "Bearer ' OR 1=1 --" }, { kind: 'header', value: 'Bearer' },
          { kind: 'otherKey', role: roles[r % roles.length]! }, { kind: 'key', role: roles[r % roles.length]! }, { kind: 'session', role: 'admin' }];
      spec.auth = options[r % options.length]!;
      spec.mutation = `auth ${spec.auth.kind}`;
      break;
    }
    case 6: { // path ids
      if (paramNames.length) {
        const name = paramNames[r % paramNames.length]!;
        const options: Array<Ref | { raw: string }> = [{ $ref: 'otherItem', i: r }, { $ref: 'otherAccount', i: r }, { $ref: 'uuid', i: r }, { raw: badIds[r % badIds.length]! },
          { raw: safeEncode(text) || '%20' }];
        spec.params[name] = options[r % options.length]!;
        spec.mutation = `path ${name}`;
      } else {
        spec.path += pathSuffixes[r % pathSuffixes.length]!;
        spec.mutation = 'path suffix';
      }
      break;
    }
    case 7: { // query
      const names = spec.query.length ? spec.query.map(([k]) => k) : ['limit', 'cursor', 'status', 'at', 'format', 'next', 'x'];
      const name = names[r % names.length]!;
      const values = ['', '0', '-1', '201', 'abc', '1e3', '99999999999999999999', 'NaN', text, '%', '[]', 'true ', 'TRUE', '2026-11-23T09:00:00', 'x'.repeat(5000)];
      spec.query.push([name, values[r % values.length]!]);
      if (r % 3 === 0) spec.query.push([name, values[(r + 1) % values.length]!]);
      spec.mutation = `query ${name}`;
      break;
    }
    case 8: { // headers
      const options: Array<[string, string]> = [
        ['if-match', badIfMatch[r % badIfMatch.length]!], ['idempotency-key', badIdempotencyKeys[r % badIdempotencyKeys.length]!], ['accept', 'text/html'],
        ['content-length', '5'], ['x-forwarded-for', '1.2.3.4'], ['cookie', 'diarium_session=; _csrf=x'], ['accept', '*/*;q=bogus'],
      ];
      spec.headers = spec.headers.filter(([k]) => k !== options[r % options.length]![0]);
      spec.headers.push(options[r % options.length]!);
      spec.mutation = `header ${options[r % options.length]![0]}`;
      break;
    }
    case 9: { // CSRF (pages) or payload text into every string (API)
      if (spec.body.kind === 'form') {
        const csrfOptions: Array<'none' | 'other' | { raw: string }> = ['none', 'other', { raw: '' }, { raw: 'x'.repeat(32) }, { raw: text }];
        spec.body = { ...spec.body, csrf: csrfOptions[r % csrfOptions.length]! };
        spec.mutation = 'csrf';
      } else if (spec.body.kind === 'json') {
        spec.body = { ...spec.body, value: replaceStrings(spec.body.value, payloads[r % payloads.length]!) };
        spec.mutation = 'payload in every string';
      } else {
        spec.mutation = 'none';
      }
      break;
    }
    default:
      break;
  }
  return spec;
}

/** encodeURIComponent, with a lone surrogate sent as its (invalid) UTF-8 bytes instead of throwing. */
function safeEncode(text: string): string {
  return [...text].map((ch) => {
    try { return encodeURIComponent(ch); } catch { return '%ED%A0%80'; }
  }).join('');
}

function replaceStrings(value: Value, payload: string): Value {
  if (typeof value === 'string') return value === value.toUpperCase() && /^[A-Z_]+$/.test(value) ? value : payload;
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, payload));
  if (value && typeof value === 'object' && !('$ref' in value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, payload)]));
  return value;
}

export function specArbitrary(app: App, doc: Schema): fc.Arbitrary<Spec> {
  const templates = templateArbitraries(doc);
  const missing = appRoutes(app).filter((route) => !templates[route]);
  if (missing.length) throw new Error(`no fuzz generator for ${missing.join(', ')}`);
  // The generated documents and the export (a zip of PDFs) cost tens of requests each: sent less often.
  const costly = new Set(['GET /openapi.json', 'GET /docs', 'GET /audit/export']);
  const routeArbs = Object.entries(templates).map(([route, arbitrary]) => ({ arbitrary, weight: costly.has(route) ? 1 : 4 }));
  return fc.tuple(fc.oneof(...routeArbs), fc.integer({ min: -4, max: 9 }), fc.nat(), textArb).map(([template, choice, r, text]) =>
    choice < 0 ? { ...template, mutation: 'none' } : mutate(template, choice, r, text));
}

// ---------------------------------------------------------------------------------------------
// The runner.

export interface FuzzStats {
  sent: number;
  byStatus: Record<string, number>;
  byRoute: Record<RouteKey, number>;
  successByRoute: Record<RouteKey, number>;
  byMutation: Record<string, number>;
  stateChanges: number;
  rememberedRefusals: number;
  unsendable: number;
  msByRoute: Record<RouteKey, number>;
}

function pick<T>(list: T[], i: number): T | undefined {
  return list.length ? list[i % list.length] : undefined;
}

function uuidOf(i: number) {
  const hex = (i * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

async function resolve(w: FuzzWorld, value: Value, depth = 0): Promise<Value> {
  // References sit near the top; deeply nested mutations are sent as generated.
  if (depth > 8) return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolve(w, v, depth + 1)));
  if (value && typeof value === 'object') {
    const o = value as Record<string, Value>;
    if (typeof o.$ref === 'string' && typeof o.i === 'number' && Object.keys(o).length === 2) return refValue(w, o as Ref);
    if (typeof o.$key === 'string' && Object.keys(o).length === 1) return w.keys[o.$key as Role].key;
    if (typeof o.$deep === 'number' && Object.keys(o).length === 2) return deepNest(o.$deep, o.array === true);
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(o)) out[k] = await resolve(w, v, depth + 1);
    return out;
  }
  return value;
}

function refValue(w: FuzzWorld, ref: Ref, part: 0 | 1 = 0): string {
  if (ref.$ref === 'uuid' || ref.$ref === 'otherUuid') return uuidOf(ref.i);
  if (ref.$ref === 'snapshot') return pick(w.pools.snapshot, ref.i)?.[part] ?? uuidOf(ref.i);
  return pick(w.pools[ref.$ref] as string[], ref.i) ?? uuidOf(ref.i);
}

async function currentVersion(w: FuzzWorld, table: 'items' | 'accounts', id: string | undefined): Promise<string> {
  if (!id) return '"1"';
  const row = (await w.t.store.client.execute({ sql: `select version from ${table} where id = ?`, args: [id] })).rows[0];
  return row ? `"${row[0]}"` : '"1"';
}

interface Materialised {
  method: string;
  url: string;
  headers: Map<string, string>;
  body: BodyInit | undefined;
  /** Why the contract must reject it, if it must. */
  mustReject: string | null;
  bodySize: number;
}

const asString = (v: Value) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

async function materialise(w: FuzzWorld, spec: Spec): Promise<Materialised> {
  // Lower-case names; Headers is built when the request is (it refuses some values: that request is unsendable).
  const headers = new Map<string, string>();
  let mustReject: string | null = null;
  const reject = (why: string) => { mustReject ??= why; };
  const isPage = pageRoutes.has(spec.route);
  const isPublic = !spec.route.includes('/v1/') || spec.route.startsWith('GET /v1/orgs/:slug/');

  // Path.
  const paramValues: Record<string, string> = {};
  let path = spec.path;
  for (const [name, p] of Object.entries(spec.params)) {
    const value = 'raw' in p ? p.raw : refValue(w, p, name === 'sha256' ? 1 : 0);
    paramValues[name] = value;
    path = path.replace(`:${name}`, value);
  }
  const mainId = 'id' in spec.params && !('raw' in spec.params.id!) ? spec.params.id : undefined;
  const query = new URLSearchParams();
  for (const [k, v] of spec.query) query.append(k, String(await resolve(w, v)));
  const qs = query.toString();
  const url = `http://localhost${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;

  // Auth.
  const auth = spec.auth;
  if (auth.kind === 'key') headers.set('authorization', `Bearer ${w.keys[auth.role].key}`);
  if (auth.kind === 'otherKey') headers.set('authorization', `Bearer ${w.otherKeys[auth.role].key}`);
  if (auth.kind === 'header') headers.set('authorization', auth.value);
  if (auth.kind === 'session') headers.set('cookie', w.sessions[auth.role].cookie);
  if (auth.kind === 'otherSession') headers.set('cookie', w.otherSession.cookie);
  if (auth.kind === 'badCookie') headers.set('cookie', auth.value);
  if (!isPublic && !isPage && auth.kind !== 'key' && auth.kind !== 'otherKey') reject('no valid API key');
  if (isPage && spec.route !== 'GET /login' && spec.route !== 'POST /login' && auth.kind !== 'session' && auth.kind !== 'otherSession') reject('no session');

  // Headers.
  for (const [k, v] of spec.headers) {
    const value = typeof v === 'string' ? v : await currentVersion(w, v.$version === 'item' ? 'items' : 'accounts', mainId ? refValue(w, mainId) : undefined);
    headers.set(k.toLowerCase(), value);
  }

  // Body. A /v1 write (other than a snapshot upload) must be JSON of at most 1 MiB. What is wrong
  // with a body counts only under the route's own method: another method on the same path may be a
  // route of its own that takes no body (GET /v1/accounts/:id/snapshots lists them).
  const rejectBody = (why: string) => {
    if (spec.method === spec.route.split(' ')[0]) reject(why);
  };
  const jsonWrite = spec.path.startsWith('/v1/') && ['POST', 'PUT', 'PATCH'].includes(spec.method) && spec.route !== 'POST /v1/accounts/:id/snapshots';
  const hasJsonBody = Boolean((contracts[spec.route] as { request?: any } | undefined)?.request?.body?.content?.['application/json']) && spec.method === spec.route.split(' ')[0];
  let body: BodyInit | undefined;
  let jsonValue: Value = undefined;
  let parsedOk = false;
  const b = spec.body;
  if (b.kind === 'json') {
    jsonValue = await resolve(w, b.value);
    body = JSON.stringify(jsonValue);
    headers.set('content-type', b.contentType);
    parsedOk = true;
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i.test(b.contentType) && jsonWrite) rejectBody('not JSON');
  } else if (b.kind === 'raw') {
    body = typeof b.text === 'string' ? b.text : `${b.text.prefix}${'a'.repeat(b.text.$huge)}"}`;
    if (b.contentType) headers.set('content-type', b.contentType);
    if (typeof b.text !== 'string' && b.text.$huge > 1024 * 1024 && jsonWrite) rejectBody('over 1 MiB');
    if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i.test(b.contentType ?? '') && jsonWrite) rejectBody('not JSON');
    if (typeof b.text === 'string') {
      try { jsonValue = JSON.parse(b.text); parsedOk = true; } catch { if (jsonWrite && hasJsonBody) rejectBody('malformed JSON'); }
    }
  } else if (b.kind === 'form') {
    const form = new URLSearchParams();
    for (const [k, v] of b.fields) {
      if (v && typeof v === 'object' && '$version' in (v as object)) form.append(k, (await currentVersion(w, (v as { $version: string }).$version === 'item' ? 'items' : 'accounts', mainId ? refValue(w, mainId) : undefined)).replace(/"/g, ''));
      else form.append(k, asString(await resolve(w, v)));
    }
    const session = auth.kind === 'session' ? w.sessions[auth.role] : auth.kind === 'otherSession' ? w.otherSession : null;
    if (b.csrf === 'own' && session) form.append('_csrf', session.csrf);
    else if (b.csrf === 'other') form.append('_csrf', w.otherSession.csrf === session?.csrf ? w.sessions.admin.csrf : w.otherSession.csrf);
    else if (typeof b.csrf === 'object') form.append('_csrf', b.csrf.raw);
    if (spec.route === 'POST /login' && b.csrf === 'own') {
      const login = await loginForm(w.app);
      form.append('_csrf', login.csrf);
      headers.set('cookie', login.cookie);
    }
    if (spec.route === 'POST /login' && b.csrf !== 'own') rejectBody('no token of the sign-in page');
    if (spec.route !== 'POST /login' && (b.csrf !== 'own' || !session)) rejectBody('no CSRF token of the session');
    body = form.toString();
    headers.set('content-type', 'application/x-www-form-urlencoded');
  } else if (b.kind === 'file') {
    body = b.file === 'png' ? png : b.file === 'pdf' ? pdf(spec.query.length) : b.file === 'garbage' ? Buffer.from('GIF89a not a snapshot') : Buffer.alloc(0);
    if (b.contentType) headers.set('content-type', b.contentType);
    const honest = (b.file === 'png' && b.contentType === 'image/png') || (b.file === 'pdf' && b.contentType === 'application/pdf');
    if (!honest) rejectBody('not an honest PDF or PNG');
  }
  if (isPage && b.kind !== 'form' && (spec.method === 'POST') && spec.route !== 'POST /login') rejectBody('form post without a form');

  // The contract of an API route: params, query, headers and body against its zod schemas.
  const contract = contracts[spec.route];
  if (contract && new URL(url).pathname.startsWith('/v1/') && spec.method === spec.route.split(' ')[0]) {
    const request = (contract as { request?: any }).request;
    const decoded: Record<string, string> = {};
    for (const [k, v] of Object.entries(paramValues)) { try { decoded[k] = decodeURIComponent(v); } catch { decoded[k] = v; } }
    if (request?.params && !request.params.safeParse(decoded).success) reject('params fail the contract');
    const searchParams = new URL(url).searchParams;
    const queryObject = Object.fromEntries([...new Set(searchParams.keys())].map((k) => {
      const all = searchParams.getAll(k);
      return [k, all.length === 1 ? all[0] : all];
    }));
    if (request?.query && !request.query.safeParse(queryObject).success) reject('query fails the contract');
    const ifMatch = headers.get('if-match');
    if (ifMatch !== undefined && parseIfMatch(ifMatch) === 'invalid' && (spec.route.startsWith('POST /v1/items/:id/events') || spec.route.startsWith('PATCH') || spec.route === 'POST /v1/accounts/:id/events')) reject('malformed If-Match');
    const key = headers.get('idempotency-key');
    if (key !== undefined && spec.route === 'POST /v1/items/:id/events' && !/^[\x21-\x7e]{1,255}$/.test(key)) reject('malformed Idempotency-Key');
    const schema = request?.body?.content?.['application/json']?.schema;
    if (schema && (b.kind === 'json' || b.kind === 'raw') && parsedOk && !schema.safeParse(jsonValue).success) reject('body fails the contract');
    if (schema && b.kind === 'none') reject('no body');
  }
  // Another method on the same path may be a route of its own (GET and POST /v1/items; HEAD runs GET).
  const [routeMethod, routePath] = spec.route.split(' ') as [string, string];
  const sameMethod = (m: string) => knownRoutes.has(`${m} ${routePath}`);
  if (spec.method !== routeMethod && !sameMethod(spec.method) && !(spec.method === 'HEAD' && sameMethod('GET'))) reject('wrong method');
  const bodySize = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Buffer ? body.length : 0;
  return { method: spec.method, url, headers, body: spec.method === 'GET' || spec.method === 'HEAD' ? undefined : body, mustReject, bodySize };
}

function describeRequest(spec: Spec, m: Materialised | null, extra = ''): string {
  const compact = JSON.stringify(spec, (_k, v) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v));
  const headers = m ? JSON.stringify([...m.headers.entries()].map(([k, v]) => [k, v.length > 120 ? `${v.slice(0, 120)}…` : v])) : '';
  return `${m ? `${m.method} ${m.url.slice(0, 300)} headers=${headers} body=${m.bodySize} bytes\n` : ''}spec=${compact}${extra ? `\n${extra}` : ''}`;
}

export interface RunOptions {
  requests: number;
  seed: number;
  /** Refresh the id pools every so many requests. */
  refreshEvery?: number;
  log?: (line: string) => void;
}

/**
 * Sends `requests` generated requests at the world's app and checks every answer. Throws (with the
 * seed and the request) on the first violation; returns the statistics otherwise.
 */
export async function runFuzz(w: FuzzWorld, options: RunOptions): Promise<FuzzStats> {
  const docResponse = await w.app.request('/openapi.json');
  const doc = (await docResponse.json()) as Schema;
  const arb = specArbitrary(w.app, doc);
  knownRoutes = new Set(appRoutes(w.app));
  const stats: FuzzStats = { sent: 0, byStatus: {}, byRoute: {}, successByRoute: {}, byMutation: {}, stateChanges: 0, rememberedRefusals: 0, unsendable: 0, msByRoute: {} };
  let before = await fingerprint(w);
  let readsSince: string[] = [];
  const checkReads = async () => {
    const now = await fingerprint(w);
    if (now !== before) throw new Error(`fuzz: the database changed during one of these reads:\n  ${readsSince.join('\n  ')}\n(${before} → ${now})`);
    readsSince = [];
  };
  const refreshEvery = options.refreshEvery ?? 100;

  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(arb, async (spec) => {
      if (stats.sent % refreshEvery === 0) await refreshPools(w);
      const m = await materialise(w, spec);
      let request: Request;
      try {
        request = new Request(m.url, { method: m.method, headers: new Headers([...m.headers]), ...(m.body !== undefined ? { body: m.body } : {}) });
      } catch (error) {
        // A request fetch cannot even build (e.g. TRACE, a header value Headers refuses) never reaches the app.
        if (error instanceof TypeError) {
          stats.unsendable += 1;
          return;
        }
        throw error;
      }
      if (!['GET', 'HEAD'].includes(m.method) && readsSince.length) await checkReads();
      const sentAt = performance.now();
      const response = await w.app.request(request);
      const status = response.status;
      const contentType = response.headers.get('content-type') ?? '';
      const text = m.method === 'HEAD' ? '' : await response.text();
      stats.sent += 1;
      stats.msByRoute[spec.route] = (stats.msByRoute[spec.route] ?? 0) + performance.now() - sentAt;
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      stats.byRoute[spec.route] = (stats.byRoute[spec.route] ?? 0) + 1;
      if (status < 400) stats.successByRoute[spec.route] = (stats.successByRoute[spec.route] ?? 0) + 1;
      const mutationKind = spec.mutation.split(' ')[0]!.replace(/:$/, '');
      stats.byMutation[mutationKind] = (stats.byMutation[mutationKind] ?? 0) + 1;
      const fail = (why: string): never => {
        throw new Error(`fuzz: ${why} → ${status} ${contentType}\n${describeRequest(spec, m, text.slice(0, 600))}`);
      };

      if (status >= 500) fail('a 5xx');
      const isProblem = /^application\/problem\+json/.test(contentType);
      // Classified by where the request landed (a ../ may take an API path to a page, and back).
      const landed = new URL(m.url).pathname;
      const apiRoute = !/^\/($|login|logout|items|accounts|audit|policy)(\/|$)/.test(landed);
      if (status >= 400 && m.method !== 'HEAD') {
        if (apiRoute || isProblem) {
          if (!isProblem) fail('an API error that is not application/problem+json');
          let body: any;
          try { body = JSON.parse(text); } catch { fail('a problem whose body is not JSON'); }
          if (typeof body?.type !== 'string' || typeof body?.title !== 'string' || body?.status !== status || typeof body?.detail !== 'string') {
            fail('a problem without type/title/status/detail');
          }
        } else if (!/^text\/(html|plain)/.test(contentType)) {
          fail('a page error that is neither HTML nor a problem');
        }
      }
      // Issue 19: whatever was sent, the answer carries the security headers, and only a public answer may be cached.
      if (response.headers.get('content-security-policy') !== expectedCsp || response.headers.get('x-frame-options') !== 'DENY'
        || response.headers.get('x-content-type-options') !== 'nosniff') fail('an answer without the security headers');
      const caching = response.headers.get('cache-control');
      if (caching !== 'no-store' && !(status === 200 && publicAnswer.test(landed) && /^public, max-age=\d+$/.test(caching ?? ''))) {
        fail(`an answer a cache may keep (Cache-Control: ${caching})`);
      }
      // A page without a session answers GET with the sign-in page (303 to /login): that is its refusal.
      const toSignIn = status === 303 && (response.headers.get('location') ?? '').startsWith('/login');
      if (m.mustReject && status < 400 && !(toSignIn && !apiRoute)) fail(`accepted a request the contract rejects (${m.mustReject})`);

      const write = !['GET', 'HEAD'].includes(m.method);
      if (!write) {
        // Reads are checked in batches: the next write (or the end) compares against the last fingerprint.
        readsSince.push(`${m.method} ${m.url.slice(0, 160)} → ${status}`);
        if (readsSince.length < 50) return;
      }
      if (readsSince.length) {
        await checkReads();
        if (!write) return;
      }
      const after = await fingerprint(w);
      // A refused item event sent with an Idempotency-Key is remembered (db/write/apply-item-event.ts: a retry
      // gets the same answer): that record of the answer is the one write a 409/412 may leave behind.
      if (after !== before && spec.route === 'POST /v1/items/:id/events' && m.headers.has('idempotency-key') && status >= 400 && ![401, 403, 404, 413, 415, 422].includes(status)) {
        const [a, b] = [JSON.parse(after), JSON.parse(before)];
        a[idempotencyColumn] = b[idempotencyColumn] = 0;
        if (JSON.stringify(a) === JSON.stringify(b)) {
          stats.rememberedRefusals += 1;
          before = after;
        }
      }
      if (after !== before) {
        if (status >= 400 || m.mustReject) fail(`the database changed (${before} → ${after})`);
        stats.stateChanges += 1;
        before = after;
        // A session ended by a valid logout is replaced, so later page requests stay signed in.
        if (status === 303 && m.url.includes('/logout')) {
          if (spec.auth.kind === 'session') w.sessions[spec.auth.role] = await sessionFor(w, w.keys[spec.auth.role].key);
          if (spec.auth.kind === 'otherSession') w.otherSession = await sessionFor(w, w.otherKeys.admin.key);
          before = await fingerprint(w);
        }
      }
      if (options.log && stats.sent % 10_000 === 0) options.log(`fuzz: ${stats.sent} requests…`);
    }),
    { seed: options.seed, numRuns: options.requests, endOnFailure: true, verbose: 0 },
  ).then(async () => {
    if (readsSince.length) await checkReads();
  }).catch((error: unknown) => {
    console.log(summary(stats, appRoutes(w.app), options.seed, performance.now() - started));
    throw error;
  });
  return stats;
}

export function summary(stats: FuzzStats, routes: RouteKey[], seed: number, ms: number): string {
  const statuses = Object.entries(stats.byStatus).sort().map(([s, n]) => `${s}: ${n}`).join(', ');
  const covered = routes.filter((r) => stats.byRoute[r]);
  const lines = [
    `fuzz summary (seed ${seed}): ${stats.sent} requests in ${(ms / 1000).toFixed(1)} s; ${stats.unsendable} not sendable; ${stats.stateChanges} state changes; ${stats.rememberedRefusals} refusals remembered for an Idempotency-Key`,
    `  statuses: ${statuses}`,
    `  routes covered: ${covered.length}/${routes.length}`,
    `  mutations: ${Object.entries(stats.byMutation).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`,
    ...routes.map((r) => `    ${r.padEnd(44)} ${String(stats.byRoute[r] ?? 0).padStart(6)} sent, ${String(stats.successByRoute[r] ?? 0).padStart(5)} 2xx/3xx, ${Math.round(stats.msByRoute[r] ?? 0)} ms`),
  ];
  return lines.join('\n');
}

/**
 * What both fuzz tests do: run `requests` generated requests, print the summary, and assert that
 * every one was sent or counted unsendable and that every route of the app was covered.
 */
export async function fuzzEveryRoute(w: FuzzWorld, options: RunOptions): Promise<FuzzStats> {
  const started = Date.now();
  console.log(`fuzz seed ${options.seed} (reproduce with FUZZ_SEED=${options.seed})`);
  const stats = await runFuzz(w, options);
  const routes = appRoutes(w.app);
  console.log(summary(stats, routes, options.seed, Date.now() - started));
  expect(stats.sent + stats.unsendable).toBe(options.requests);
  expect(Object.keys(stats.byRoute).sort()).toEqual(routes);
  // Reported, not asserted: a route whose valid requests all met a refusal in this run (e.g. account events).
  const neverSucceeded = routes.filter((route) => !stats.successByRoute[route]);
  if (neverSucceeded.length) console.log(`no 2xx/3xx this run: ${neverSucceeded.join(', ')}`);
  return stats;
}

export { itemEventTypes };
