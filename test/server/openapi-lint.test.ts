// The OpenAPI document as integrators' tools see it (issue 19): Stoplight Spectral's spectral:oas
// ruleset finds no error and no warning, and every operation — whatever routes exist — has a stable
// camelCase operationId, exactly one declared tag and a one-line description.
import { Document, Spectral } from '@stoplight/spectral-core';
import parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, httpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const allowedTags = ['items', 'accounts', 'audit', 'policy', 'exports', 'public'];
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let t: TempDb;
let text: string;
let doc: any;

beforeAll(async () => {
  t = await tempDb();
  const w = await httpWorld(t, 'tibro');
  const result = await call(w.app, 'GET', '/openapi.json');
  expect(result.status).toBe(200);
  text = result.text;
  doc = result.json;
});
afterAll(() => t.cleanup());

function operations(): Array<{ where: string; operation: any }> {
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => methods.includes(method)).map(([method, operation]) => ({ where: `${method.toUpperCase()} ${path}`, operation })));
}

describe('the OpenAPI document', () => {
  it('passes Spectral\'s spectral:oas ruleset with no error and no warning', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [oas] } as unknown as Parameters<Spectral['setRuleset']>[0]);
    const results = await spectral.run(new Document(text, parsers.Json));
    const findings = results
      .filter((r) => r.severity <= 1)
      .map((r) => `${r.severity === 0 ? 'error' : 'warning'} ${String(r.code)} at ${r.path.join('.')}: ${r.message}`);
    // The ruleset really ran: it reports hints on this document's own kind of findings if asked.
    expect(spectral.ruleset?.rules['operation-operationId']).toBeDefined();
    expect(findings, findings.join('\n')).toEqual([]);
  }, 60_000);

  it('gives every operation a camelCase operationId of its own, one declared tag and a one-line description', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const declared = (doc.tags ?? []).map((tag: { name: string }) => tag.name);
    expect(declared).toEqual(expect.arrayContaining(allowedTags));
    for (const tag of doc.tags) expect(tag.description, tag.name).toMatch(/\S/);
    const ids = new Set<string>();
    for (const { where, operation } of ops) {
      expect(operation.operationId, where).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(ids.has(operation.operationId), `${where}: operationId ${operation.operationId} twice`).toBe(false);
      ids.add(operation.operationId);
      expect(operation.tags, where).toHaveLength(1);
      expect(allowedTags, where).toContain(operation.tags[0]);
      expect(operation.description, where).toMatch(/^[^\n]{10,}$/);
      expect(operation.summary, where).toMatch(/\S/);
    }
  });

  it('keeps the operationIds integrators\' generated clients are named by', () => {
    const byId = Object.fromEntries(operations().map(({ where, operation }) => [operation.operationId, where]));
    expect(byId).toMatchObject({
      ingestItem: 'POST /v1/items', getItem: 'GET /v1/items/{id}', postItemEvent: 'POST /v1/items/{id}/events',
      createAccount: 'POST /v1/accounts', postAccountEvent: 'POST /v1/accounts/{id}/events',
      getChannelRegister: 'GET /v1/orgs/{slug}/channels', verifyLedger: 'GET /v1/audit/verify',
    });
  });

  it('describes itself: contact, licence, servers, and the register as needing no key', () => {
    expect(doc.info.contact).toBeDefined();
    expect(doc.info.license?.name).toEqual(expect.any(String));
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.paths['/v1/orgs/{slug}/channels'].get.security).toEqual([]);
    expect(doc.paths['/v1/orgs/{slug}/channels'].get.responses['429']).toBeDefined();
  });
});
