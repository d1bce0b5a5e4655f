// HTTP tests without a port: call(app, …) drives createApp() through app.request(), and
// httpWorld() builds an organisation with one key per role on a fresh temporary file database.
import { expect } from 'vitest';
import { createApiKey } from '../../db/access/api-keys.ts';
import type { Organisation } from '../../db/organisations.ts';
import { roles, type Role } from '../../machines/item.events.ts';
import { createApp, type App } from '../../server/app.ts';
import { completeAccount, organisation, t0 } from './fixtures.ts';
import type { TempDb } from './temp-db.ts';

export interface CallOptions {
  key?: string | null;
  /** Sent as JSON with Content-Type: application/json. */
  body?: unknown;
  /** Sent as is; set the content type in `headers`. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // The parsed body; tests read fields from it freely.
  json: any;
}

export async function call(app: App, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const body = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Asserts an RFC 9457 problem with the given status and returns its body. */
export function expectProblem(result: CallResult, status: number) {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(result.json).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  return result.json;
}

export type Keys = Record<Role, { id: string; key: string }>;

export interface HttpWorld {
  org: Organisation;
  keys: Keys;
  app: App;
  /** The instant the app's clock reads; tests may move it. */
  clock: { now: Date };
}

export async function keysFor(t: TempDb, orgId: string): Promise<Keys> {
  const keys: Partial<Keys> = {};
  for (const role of roles) keys[role] = await createApiKey(t.store, orgId, role, t0);
  return keys as Keys;
}

/** An organisation of `preset` with a key per role and an app whose clock starts at t0. */
export async function httpWorld(t: TempDb, preset: string, slug = preset): Promise<HttpWorld> {
  const org = await organisation(t.store, preset, slug);
  const keys = await keysFor(t, org.id);
  const clock = { now: t0 };
  const app = createApp({ store: t.store, clock: () => clock.now }, () => {});
  return { org, keys, app, clock };
}

/** A channel decision with everything TI-1 and TI-4 ask for. */
export const accountBody = completeAccount;

/** Proposes and approves an account over HTTP; returns its id. */
export async function activeAccountOverHttp(world: HttpWorld, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await call(world.app, 'POST', '/v1/accounts', { key: world.keys.admin.key, body: { ...accountBody, ...overrides } });
  expect(created.status, created.text).toBe(201);
  const approved = await call(world.app, 'POST', `/v1/accounts/${created.json.id}/events`, {
    key: world.keys.admin.key, body: { type: 'APPROVE' },
  });
  expect(approved.status, approved.text).toBe(200);
  return String(created.json.id);
}

let externalCounter = 0;

export function itemBody(accountId: string, overrides: Record<string, unknown> = {}) {
  externalCounter += 1;
  return {
    accountId, externalId: `ext-${externalCounter}`, kind: 'comment', direction: 'inbound',
    author: { handle: 'resident', name: 'A Resident' }, text: 'When is the library open?', ...overrides,
  };
}

/** Ingests an item over HTTP as the integrator; returns the item. */
export async function ingest(world: HttpWorld, accountId: string, overrides: Record<string, unknown> = {}) {
  const result = await call(world.app, 'POST', '/v1/items', { key: world.keys.integrator.key, body: itemBody(accountId, overrides) });
  expect(result.status, result.text).toBe(201);
  return result.json;
}

/** Sends an item event as `role`; returns the raw result. */
export function send(world: HttpWorld, role: Role, itemId: string, event: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call(world.app, 'POST', `/v1/items/${itemId}/events`, { key: world.keys[role].key, body: event, headers });
}

/** Sends an item event that must be accepted; returns the item. */
export async function step(world: HttpWorld, role: Role, itemId: string, event: Record<string, unknown>) {
  const result = await send(world, role, itemId, event);
  expect(result.status, result.text).toBe(200);
  return result.json;
}

export async function versionOf(world: HttpWorld, itemId: string): Promise<number> {
  const result = await call(world.app, 'GET', `/v1/items/${itemId}`, { key: world.keys.officer.key });
  expect(result.status, result.text).toBe(200);
  return Number(result.json.version);
}

export async function historyOf(world: HttpWorld, itemId: string): Promise<any[]> {
  const result = await call(world.app, 'GET', `/v1/items/${itemId}/history`, { key: world.keys.auditor.key });
  expect(result.status, result.text).toBe(200);
  return result.json.events;
}
