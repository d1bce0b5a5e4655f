// Personal content never reaches the logs: the app as server/serve.ts builds it (createApp without a
// log function, so it logs with console.error), every console method and both process streams
// captured, and requests that carry item text, author names and e-mail addresses: accepted,
// refused, invalid, malformed, on the API and the pages, and one that fails inside the server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { organisation, personalContent as personal, t0 } from '../helpers/fixtures.ts';
import { accountBody, call, keysFor, type Keys } from '../helpers/http.ts';
import { postForm, postLogin, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const allPersonal = Object.values(personal);

let t: TempDb;
let app: App;
let keys: Keys;
let accountId: string;
const captured: string[] = [];
const restore: Array<() => void> = [];

function capture() {
  for (const method of ['log', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (a instanceof Error ? `${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    restore.push(() => spy.mockRestore());
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return original(chunk as string, ...(rest as []));
    }) as typeof stream.write;
    restore.push(() => (stream.write = original));
  }
}

function expectNothingPersonalLogged() {
  const all = captured.join('\n');
  for (const secret of allPersonal) expect(all, 'personal content in the log').not.toContain(secret);
}

beforeAll(async () => {
  t = await tempDb();
  const org = await organisation(t.store, 'tibro');
  keys = await keysFor(t, org.id);
  // As server/serve.ts does: no log argument, so the app's default (console.error).
  app = createApp({ store: t.store, clock: () => t0, rateLimit: null });
  capture();
  const created = await call(app, 'POST', '/v1/accounts', {
    key: keys.admin.key,
    body: { ...accountBody, responsible: { name: personal.responsible, email: personal.responsibleEmail } },
  });
  expect(created.status, created.text + captured.join('\n')).toBe(201);
  accountId = created.json.id;
  expect((await call(app, 'POST', `/v1/accounts/${accountId}/events`, { key: keys.admin.key, body: { type: 'APPROVE' } })).status).toBe(200);
});
afterAll(() => {
  for (const undo of restore.reverse()) undo();
  t.cleanup();
});

describe('logs', () => {
  it('carry no personal content from accepted, refused, invalid and malformed requests, API and pages', async () => {
    const item = { accountId, kind: 'comment', direction: 'inbound', author: { handle: personal.authorHandle, name: personal.authorName } };
    const ingested = await call(app, 'POST', '/v1/items', {
      key: keys.integrator.key, body: { ...item, externalId: 'x-1', text: `${personal.text} (${personal.email})` },
    });
    expect(ingested.status, ingested.text).toBe(201);
    const id = ingested.json.id;
    const responses = [
      // Accepted writes with free text.
      await call(app, 'POST', `/v1/items/${id}/events`, {
        key: keys.officer.key, body: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required', note: personal.note },
      }),
      await call(app, 'POST', `/v1/items/${id}/events`, { key: keys.officer.key, body: { type: 'ANSWER', text: personal.answer } }),
      await call(app, 'PATCH', `/v1/accounts/${accountId}`, {
        key: keys.admin.key, body: { substitute: { name: personal.authorName, email: personal.email } },
      }),
      // Refused: role, state, another version.
      await call(app, 'POST', `/v1/items/${id}/events`, { key: keys.auditor.key, body: { type: 'ANSWER', text: personal.answer } }),
      await call(app, 'POST', `/v1/items/${id}/events`, { key: keys.officer.key, body: { type: 'ANSWER', text: personal.answer } }),
      await call(app, 'POST', `/v1/items/${id}/events`, {
        key: keys.officer.key, body: { type: 'ACKNOWLEDGE', text: personal.answer }, headers: { 'if-match': '"1"' },
      }),
      // Invalid and malformed bodies, a wrong key made of personal text, a too-large body.
      await call(app, 'POST', '/v1/items', { key: keys.integrator.key, body: { ...item, externalId: 'x-2', kind: personal.text, text: personal.text } }),
      await call(app, 'POST', '/v1/items', { key: keys.integrator.key, raw: `{"text": "${personal.text}", `, headers: { 'content-type': 'application/json' } }),
      await call(app, 'POST', '/v1/items', { key: keys.integrator.key, raw: personal.text, headers: { 'content-type': 'text/plain' } }),
      await call(app, 'GET', '/v1/items', { key: personal.email }),
      await call(app, 'POST', '/v1/items', {
        key: keys.integrator.key, body: { ...item, externalId: 'x-3', text: `${personal.text} `.repeat(40_000) },
      }),
      await call(app, 'GET', `/v1/items/${encodeURIComponent(personal.email)}`, { key: keys.officer.key }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 403, 409, 412, 400, 400, 415, 401, 413, 404]);

    // The pages: a failed sign-in with personal text as the key, a search, a form with free text.
    expect((await postLogin(app, { key: personal.email })).status).toBe(401);
    const session = await signIn(app, keys.officer.key);
    const search = await app.request(`/items?text=${encodeURIComponent('Storgatan')}`, { headers: { cookie: session.cookie } });
    expect(await search.text()).toContain(`/items/${id}`);
    const second = await call(app, 'POST', '/v1/items', { key: keys.integrator.key, body: { ...item, externalId: 'x-4', text: personal.text } });
    const form = await postForm(app, session, `/items/${second.json.id}/events`, [
      ['type', 'ACKNOWLEDGE'], ['version', '1'], ['text', personal.answer],
    ]);
    expect([303, 409]).toContain(form.status);

    expectNothingPersonalLogged();
  });

  describe('an internal error while storing personal content', () => {
    let logged = '';

    beforeAll(async () => {
      // Broken infrastructure, simulated: the content store refuses every write.
      await t.store.client.execute(`create trigger refuse_contents before insert on contents begin select raise(abort, 'disk trouble'); end`);
      const before = captured.length;
      const failed = await call(app, 'POST', '/v1/items', {
        key: keys.integrator.key,
        body: { accountId, externalId: 'x-fail', kind: 'comment', direction: 'inbound', author: { handle: personal.authorHandle, name: personal.authorName }, text: personal.failingText },
      });
      expect(failed.status).toBe(500);
      for (const secret of allPersonal) expect(failed.text).not.toContain(secret);
      logged = captured.slice(before).join('\n');
      await t.store.client.execute('drop trigger refuse_contents');
    });

    it('is logged, with the route', () => {
      expect(logged).toContain('internal error on POST /v1/items');
    });

    // server/loggable-error.ts: a failed query is logged by its SQL text, never its parameters.
    it('carries none of the item\'s personal content', () => {
      for (const secret of [personal.failingText, personal.authorName, personal.authorHandle]) {
        expect(logged, 'personal content in the log').not.toContain(secret);
      }
    });
  });
});
