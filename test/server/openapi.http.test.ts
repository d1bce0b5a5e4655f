// The published contract: /openapi.json is OpenAPI 3.1 and documents every route of API.md;
// /docs renders the same routes as HTML. Neither needs a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as exportsContract from '../../server/routes/exports.contract.ts';
import * as policyContract from '../../server/routes/policy.contract.ts';
import * as accountsContract from '../../server/routes/accounts.contract.ts';
import * as itemsContract from '../../server/routes/items.contract.ts';
import { call, httpWorld, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

/** API.md's HTTP routes, as OpenAPI paths with their methods. */
const contractRoutes: Array<[string, string]> = [
  ['post', '/v1/items'],
  ['get', '/v1/items'],
  ['get', '/v1/items/{id}'],
  ['post', '/v1/items/{id}/events'],
  ['get', '/v1/items/{id}/history'],
  ['get', '/v1/items/{id}/replay'],
  ['post', '/v1/accounts'],
  ['get', '/v1/accounts/{id}'],
  ['post', '/v1/accounts/{id}/events'],
  ['get', '/v1/orgs/{slug}/channels'],
  ['get', '/v1/audit/verify'],
];

describe('the OpenAPI document and the docs page', () => {
  let t: TempDb;
  let w: HttpWorld;
  let doc: any;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    const result = await call(w.app, 'GET', '/openapi.json');
    expect(result.status, result.text).toBe(200);
    doc = result.json;
  });
  afterAll(() => t.cleanup());

  it('is served without a key as OpenAPI 3.1 with bearer authentication', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ apiKey: [] }]);
  });

  it.each(contractRoutes)('documents %s %s with a summary and its responses', (method, path) => {
    const operation = doc.paths?.[path]?.[method];
    expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
    expect(operation.summary).toEqual(expect.any(String));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining([expect.stringMatching(/^2\d\d$/)]));
  });

  it('documents the path parameters of the templated routes', () => {
    for (const [method, path] of contractRoutes) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = (doc.paths[path][method].parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
      expect(params, `${method} ${path}`).toEqual(names);
    }
  });

  it('documents errors of the /v1 routes as application/problem+json', () => {
    for (const [method, path] of contractRoutes) {
      const responses = doc.paths[path][method].responses;
      const errors = Object.entries(responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        expect(Object.keys((response as any).content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
      }
    }
  });

  it('documents the statuses of API.md on the item event route: 409 conflict, 412 If-Match and the idempotency headers', () => {
    const operation = doc.paths['/v1/items/{id}/events'].post;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '412', '413', '415']));
    const headers = operation.parameters.filter((p: any) => p.in === 'header').map((p: any) => p.name.toLowerCase());
    expect(headers).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
  });

  it('marks the public channel register as needing no key (TI-3)', () => {
    expect(doc.paths['/v1/orgs/{slug}/channels'].get.security).toEqual([]);
  });

  it('gives every JSON request body examples for /docs, each of which its route\'s own zod schema accepts', () => {
    const bodies = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([, op]) => op.requestBody?.content?.['application/json']).map(([method, op]) => ({ route: `${method} ${path}`, op })));
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    for (const { route, op } of bodies) expect(Object.keys(op.requestBody.content['application/json'].examples ?? {}).length, route).toBeGreaterThan(0);
    type JsonBody = { schema: z.ZodType; examples: Record<string, { value: unknown }> };
    const routes = ([...Object.values(itemsContract), ...Object.values(accountsContract), ...Object.values(exportsContract), ...Object.values(policyContract)] as unknown[])
      .map((r) => (r as { request?: { body?: { content?: Record<string, JsonBody> } } })?.request?.body?.content?.['application/json'])
      .filter((body): body is JsonBody => body !== undefined);
    expect(routes.length).toBe(bodies.length);
    for (const { schema, examples } of routes) {
      for (const [name, example] of Object.entries(examples)) {
        const parsed = schema.safeParse(example.value);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });

  it('lists every route of API.md on the HTML docs page', async () => {
    const result = await call(w.app, 'GET', '/docs');
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^text\/html/);
    for (const [method, path] of contractRoutes) expect(result.text).toContain(`${method.toUpperCase()} ${path}`);
    expect(result.text).toContain('/openapi.json');
  });
});
