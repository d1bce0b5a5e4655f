// How fast the officers' pages answer on 100,000 items (issue 5): an in-process app over a file
// database, two real items ingested and the rest cloned in SQL, then each page timed 20 times
// through app.request with a signed-in session. `npm run bench:pages [-- --items N]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { applyAccountEvent, createAccount } from '../db/accounts/accounts.ts';
import { createApiKey } from '../db/access/api-keys.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { ingestItem } from '../db/items/items.ts';
import { createOrganisation, policyOf } from '../db/organisations.ts';
import { createApp } from '../server/app.ts';
import { cloneItems } from './lib/seed.ts';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' } } });
const total = Number(values.items);
const now = new Date('2026-11-23T09:00:00Z');
const actor = { keyId: 'bench', role: 'admin' };

const dir = mkdtempSync(join(tmpdir(), 'diarium-pages-bench-'));
const store = await openDatabase(`file:${join(dir, 'pages.db')}`);
try {
  await migrateDatabase(store);
  const created = await createOrganisation(store, { slug: 'tibro', preset: 'tibro' }, now);
  if (!created.ok) throw new Error(created.detail);
  const org = created.organisation;
  const policy = policyOf(org);
  const account = await createAccount(store, {
    orgId: org.id, policy, actor, now,
    account: {
      platform: 'facebook', handle: 'tibro', purpose: 'News', audience: 'Residents', responsible: { name: 'R' },
      substitute: { name: 'S' }, admins: [{ name: 'A' }, { name: 'B' }], profile: { contact: true, moderationNotice: true },
    },
  });
  await applyAccountEvent(store, { orgId: org.id, policy, accountId: account.id, actor, event: { type: 'APPROVE' }, now });
  const templates: string[] = [];
  for (const text of ['When does the library open?', 'Thanks for the concert!']) {
    const result = await ingestItem(store, {
      orgId: org.id, actor: { keyId: 'bench', role: 'integrator' }, now,
      item: { accountId: account.id, externalId: text, kind: 'comment', direction: 'inbound', author: { handle: 'r' }, text },
    });
    if (!result.ok) throw new Error(result.detail);
    templates.push(result.item.id);
  }
  const seeding = performance.now();
  await cloneItems(store.client, templates, 0, total - templates.length);
  await store.client.execute('analyze');
  console.log(`seeded ${total} items in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const key = await createApiKey(store, org.id, 'auditor', now);
  const app = createApp({ store, clock: () => now }, () => {});
  // Signing in as a browser does: the sign-in page's pre-session cookie and token, then the key (login CSRF).
  const form = await app.request('/login');
  const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await app.request('/login', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ key: key.key, _csrf: token }).toString(),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const pages = [
    '/', '/items', '/items?status=received', '/items?direction=inbound&kind=comment', '/items?from=2026-11-23&to=2026-11-23',
    '/items?text=library', '/items?text=no-such-words', '/items?sort=received-desc', '/items?sort=received-asc',
    '/items?sort=received-desc&status=received', `/items/${templates[0]}`, '/accounts', '/audit',
  ];
  console.log('page'.padEnd(44), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'status');
  for (const path of pages) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const response = await app.request(path, { headers: { cookie } });
      await response.text();
      times.push(performance.now() - started);
      status = response.status;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(path.padEnd(44), at(0.5).padStart(8), at(0.99).padStart(8), status);
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
