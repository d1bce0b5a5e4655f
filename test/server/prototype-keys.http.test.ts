// Every route with a path parameter, asked for the names every JavaScript object already has
// (`__proto__`, `constructor`, `toString`, ...). A lookup that indexes a plain object with a
// request's text finds Object.prototype's member for these, not "no such entry", and then fails as
// a 500 (the long fuzz run found GET /assets/swagger-ui/__proto__ so). Each must be refused: a
// 4xx problem from the API and the assets, a 4xx page or the way to sign in from a page, and
// nothing may change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, fuzzWorld, type FuzzWorld } from '../helpers/fuzz.ts';

const inheritedNames = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

describe('path parameters named like an object\'s inherited members', () => {
  let w: FuzzWorld;
  beforeAll(async () => {
    w = await fuzzWorld();
  });
  afterAll(() => w?.t.cleanup());

  it('refuses each on every route that has one, as the admin and as nobody, and changes nothing', async () => {
    const routes = appRoutes(w.app).filter((route) => route.includes('/:'));
    expect(routes.length).toBeGreaterThan(10);
    const before = await w.t.store.client.execute('select (select count(*) from ledger_events), (select count(*) from items), (select count(*) from accounts)');
    const answered: string[] = [];
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      for (const name of inheritedNames) {
        const path = template.replace(/:[A-Za-z0-9_]+/g, encodeURIComponent(name));
        const page = !path.startsWith('/v1/') && !path.startsWith('/assets/');
        const asAdmin = page
          ? { cookie: w.sessions.admin.cookie, 'x-csrf-token': w.sessions.admin.csrf }
          : { authorization: `Bearer ${w.keys.admin.key}` };
        for (const auth of [asAdmin, {}]) {
          const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
          const headers: Record<string, string> = { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) };
          const response = await w.app.request(path, { method, headers, ...(body ? { body } : {}) });
          const label = `${method} ${path} (${'authorization' in auth || 'cookie' in auth ? 'admin' : 'nobody'}) → ${response.status}`;
          expect(response.status, label).toBeLessThan(500);
          // A page asked without a session sends the browser to sign in.
          if (page && response.status === 303) expect(response.headers.get('location'), label).toMatch(/^\/login/);
          else expect(response.status, label).toBeGreaterThanOrEqual(400);
          if (!page) expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
          answered.push(label);
        }
      }
    }
    expect(answered.length).toBe(routes.length * inheritedNames.length * 2);
    const after = await w.t.store.client.execute('select (select count(*) from ledger_events), (select count(*) from items), (select count(*) from accounts)');
    expect(after.rows[0]).toEqual(before.rows[0]);
  }, 120_000);
});
