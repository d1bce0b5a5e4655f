// The pages' sign-in and the Today and Items pages, in process: an API key is exchanged for an
// HttpOnly, SameSite=Strict cookie; every form needs the session's CSRF token; a revoked key ends
// its sessions; Today lists what is overdue; Items filters, searches and pages.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policyOf } from '../../db/organisations.ts';
import { apiKeys } from '../../db/schema.ts';
import { activeAccount, receivedItem } from '../helpers/fixtures.ts';
import { httpWorld, type HttpWorld } from '../helpers/http.ts';
import { loginForm } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let w: HttpWorld;
beforeEach(async () => {
  t = await tempDb();
  w = await httpWorld(t, 'tibro');
});
afterEach(() => t.cleanup());

async function form(path: string, fields: Record<string, string>, cookie?: string) {
  // Signing in posts the form GET /login handed out, with its pre-session cookie (login CSRF).
  if (path === '/login' && cookie === undefined) {
    const login = await loginForm(w.app);
    return form(path, { _csrf: login.csrf, ...fields }, login.cookie);
  }
  return w.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signIn(key: string): Promise<string> {
  const response = await form('/login', { key, next: '/' });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

async function page(path: string, cookie: string) {
  const response = await w.app.request(path, { headers: { cookie } });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('signing in to the pages', () => {
  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    const response = await w.app.request('/items?status=received');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fitems');
    expect(await (await w.app.request('/login')).text()).toContain('name="key"');
  });

  it('refuses a wrong key with 401 and sets no cookie', async () => {
    const response = await form('/login', { key: 'dia_wrong' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('That key is not valid.');
  });

  it('limits failed sign-ins: after ten in fifteen minutes even the right key waits, with Retry-After', async () => {
    for (let i = 0; i < 10; i++) expect((await form('/login', { key: `dia_wrong_${i}` })).status).toBe(401);
    const blocked = await form('/login', { key: w.keys.officer.key });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    w.clock.now = new Date(w.clock.now.getTime() + 15 * 60 * 1000 + 1);
    expect((await form('/login', { key: w.keys.officer.key })).status).toBe(303);
    // A success forgives nothing: a holder of one valid key cannot interleave sign-ins with guesses.
    for (let i = 0; i < 9; i++) await form('/login', { key: 'dia_wrong' });
    expect((await form('/login', { key: w.keys.officer.key })).status).toBe(303);
    expect((await form('/login', { key: 'dia_wrong' })).status).toBe(401);
    expect((await form('/login', { key: w.keys.officer.key })).status).toBe(429);
  });

  it('exchanges a key for an HttpOnly, SameSite=Strict session cookie that opens the pages', async () => {
    const response = await form('/login', { key: w.keys.officer.key, next: '/items' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/items');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^diarium_session=[A-Za-z0-9_-]{20,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(w.keys.officer.key);
    const today = await page('/', cookie.split(';')[0]!);
    expect(today.status).toBe(200);
    expect(today.html).toContain('Today');
    expect(today.html).toContain('tibro · officer');
  });

  it('refuses a sign-in without the token of the sign-in page\'s own pre-session cookie (login CSRF), counting no failure', async () => {
    const mine = await loginForm(w.app);
    const theirs = await loginForm(w.app);
    expect(mine.cookie).not.toBe(theirs.cookie);
    const first = await w.app.request('/login');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/login/);
    // A cross-site form: no cookie (SameSite=Strict keeps it home), or a token that is not this cookie's.
    const attempts: Array<[Record<string, string>, string | undefined]> = [
      [{ key: w.keys.officer.key }, ''],
      [{ key: w.keys.officer.key, _csrf: mine.csrf }, ''],
      [{ key: w.keys.officer.key }, mine.cookie],
      [{ key: w.keys.officer.key, _csrf: theirs.csrf }, mine.cookie],
      [{ key: w.keys.officer.key, _csrf: mine.csrf.slice(1) }, mine.cookie],
    ];
    for (let round = 0; round < 4; round++) {
      for (const [fields, jar] of attempts) {
        const response = await form('/login', fields, jar);
        expect(response.status).toBe(403);
        expect(response.headers.getSetCookie().some((c) => c.startsWith('diarium_session='))).toBe(false);
        expect(await response.text()).toContain('The sign-in form has expired');
      }
    }
    // Twenty refusals, and none was a failed sign-in: the right key with the right token still gets in.
    const ok = await form('/login', { key: w.keys.officer.key, _csrf: mine.csrf, next: '/' }, mine.cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('set-cookie')).toMatch(/^diarium_session=/);
  });

  it('hands every tab of one browser the same sign-in token', async () => {
    const login = await loginForm(w.app);
    const again = await w.app.request('/login', { headers: { cookie: login.cookie } });
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(csrfOf(await again.text())).toBe(login.csrf);
  });

  it('never redirects to another site after sign-in', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const response = await form('/login', { key: w.keys.officer.key, next });
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('refuses a form without the session\'s CSRF token, and signs out with it', async () => {
    const cookie = await signIn(w.keys.officer.key);
    expect((await form('/logout', {}, cookie)).status).toBe(403);
    expect((await form('/logout', { _csrf: 'forged' }, cookie)).status).toBe(403);
    expect((await page('/', cookie)).status).toBe(200);
    const csrf = csrfOf((await page('/', cookie)).html);
    expect(csrf).not.toBe('');
    const out = await form('/logout', { _csrf: csrf }, cookie);
    expect(out.status).toBe(303);
    expect((await page('/', cookie)).status).toBe(303);
  });

  it('ends every session of a key the moment the key is revoked', async () => {
    const cookie = await signIn(w.keys.officer.key);
    expect((await page('/', cookie)).status).toBe(200);
    await t.store.writes.run((tx) => tx.update(apiKeys).set({ revokedAt: w.clock.now.toISOString() }).where(eq(apiKeys.id, w.keys.officer.id)));
    expect((await page('/', cookie)).status).toBe(303);
  });

  it('ends a session after eight hours', async () => {
    const cookie = await signIn(w.keys.officer.key);
    w.clock.now = new Date(w.clock.now.getTime() + 8 * 60 * 60 * 1000 + 1);
    expect((await page('/', cookie)).status).toBe(303);
  });
});

describe('Today', () => {
  it('lists an item whose assessment is overdue, and one waiting, each linked, with local due times', async () => {
    const account = await activeAccount(t.store, w.org);
    const item = await receivedItem(t.store, w.org, account.id);
    const cookie = await signIn(w.keys.officer.key);
    const before = await page('/', cookie);
    expect(before.html).toContain('Nothing is overdue.');
    expect(before.html).toContain(`href="/items/${item.id}"`);
    // t0 is Monday 2026-11-23 10:00 Stockholm: assessment is due by the end of Tuesday.
    w.clock.now = new Date('2026-11-25T08:00:00Z');
    const after = await page('/', await signIn(w.keys.officer.key));
    const overdue = after.html.slice(after.html.indexOf('id="overdue"'), after.html.indexOf('id="soon"'));
    expect(overdue).toContain(`href="/items/${item.id}"`);
    expect(overdue).toContain('by end of Tuesday 24 November');
  });

  it('shows an account under review with its rule', async () => {
    const account = await activeAccount(t.store, w.org);
    const { accountReview } = await import('../../schedules/account-review.ts');
    const later = new Date(w.clock.now.getTime() + 8 * 24 * 60 * 60 * 1000);
    await accountReview.run({ store: t.store, clock: () => later }, later);
    const today = await page('/', await signIn(w.keys.officer.key));
    expect(today.html).toContain(`href="/accounts/${account.id}"`);
    expect(today.html).toContain('in review (TI-5, UP-6)');
  });
});

describe('Items', () => {
  it('filters by status and direction, searches the text, and escapes what it shows', async () => {
    const account = await activeAccount(t.store, w.org);
    const library = await receivedItem(t.store, w.org, account.id, { text: 'When does the LIBRARY open?' });
    const outbound = await receivedItem(t.store, w.org, account.id, { text: 'Our post', direction: 'outbound', kind: 'post' });
    const cookie = await signIn(w.keys.officer.key);
    const search = await page('/items?text=library', cookie);
    expect(search.html).toContain(`/items/${library.id}`);
    expect(search.html).not.toContain(`/items/${outbound.id}`);
    const outbounds = await page('/items?direction=outbound', cookie);
    expect(outbounds.html).toContain(`/items/${outbound.id}`);
    expect(outbounds.html).not.toContain(`/items/${library.id}`);
    const injected = await page(`/items?text=${encodeURIComponent('"><script>alert(1)</script>')}`, cookie);
    expect(injected.html).not.toContain('<script>alert(1)</script>');
    expect(injected.html).toContain('&lt;script&gt;');
  });

  it('searches words through the index: prefixes, any case and accents, never query syntax, and not a thinned item\'s words', async () => {
    const account = await activeAccount(t.store, w.org);
    const swedish = await receivedItem(t.store, w.org, account.id, { text: 'När öppnar Biblioteket på lördag?' });
    const cookie = await signIn(w.keys.officer.key);
    for (const words of ['biblio', 'NAR oppnar', 'lördag']) {
      expect((await page(`/items?text=${encodeURIComponent(words)}`, cookie)).html, words).toContain(`/items/${swedish.id}`);
    }
    expect((await page('/items?text=biblioteket%20konsert', cookie)).html).not.toContain(`/items/${swedish.id}`);
    // A control character splits words like a space (a NUL inside a term failed FTS5: a 500, found by fuzzing).
    expect((await page(`/items?text=${encodeURIComponent('biblio\u0000lördag')}`, cookie)).html).toContain(`/items/${swedish.id}`);
    for (const syntax of ['!!!', '" OR *', 'NEAR(a b)', 'text:x', 'a\u0000b', '\u0001\u007f']) {
      const result = await page(`/items?text=${encodeURIComponent(syntax)}`, cookie);
      expect(result.status, syntax).toBe(200);
    }
    // THIN erases the text, and with it the words from the search index.
    const { thinUnderDecision, thinningGrounds } = await import('../../db/items/thinning.ts');
    const { applyItemEvent } = await import('../../db/write/apply-item-event.ts');
    const { officer } = await import('../helpers/fixtures.ts');
    await applyItemEvent(t.store, {
      orgId: w.org.id, itemId: swedish.id, actor: officer, ifMatch: null, idempotency: null, now: w.clock.now,
      event: { type: 'ASSESS', decision: 'no_action', categories: ['question'], registration: 'not_required' },
    });
    const ground = thinningGrounds(policyOf(w.org), new Date('2027-12-01T00:00:00Z'))[0]!;
    expect(await thinUnderDecision(t.store, { org: w.org, ground, itemIds: [swedish.id], job: 'test', now: w.clock.now })).not.toBeNull();
    expect((await page('/items?text=biblioteket', cookie)).html).not.toContain(`/items/${swedish.id}`);
    const indexed = await t.store.client.execute({ sql: 'select count(*) as n from item_text where item_id = ?', args: [swedish.id] });
    expect(Number(indexed.rows[0]!.n)).toBe(0);
  });

  it('answers an invalid filter with 400 and the reason, listing nothing', async () => {
    const cookie = await signIn(w.keys.officer.key);
    const bad = await page('/items?status=lost&from=yesterday', cookie);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Invalid filter');
    expect(bad.html).toContain('status');
  });

  it('pages newest first, 50 at a time, without repeating an item', async () => {
    const account = await activeAccount(t.store, w.org);
    const ids = [];
    for (let i = 0; i < 55; i++) ids.push((await receivedItem(t.store, w.org, account.id)).id);
    const cookie = await signIn(w.keys.auditor.key);
    const first = await page('/items', cookie);
    const links = (html: string) => [...html.matchAll(/href="\/items\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const firstIds = links(first.html);
    expect(firstIds).toHaveLength(50);
    // Newest first by id (UUIDv7: creation time, then random bits within one millisecond).
    expect(firstIds).toEqual([...ids].sort().reverse().slice(0, 50));
    const nextHref = /rel="next" href="([^"]+)"/.exec(first.html)![1]!.replaceAll('&amp;', '&');
    const secondIds = links((await page(nextHref, cookie)).html);
    expect(secondIds).toHaveLength(5);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(55);
  });

  it('filters received dates as local days in the organisation\'s zone', async () => {
    const account = await activeAccount(t.store, w.org);
    // 23:30 UTC on 22 November is 00:30 on 23 November in Stockholm.
    const lateNight = await receivedItem(t.store, w.org, account.id, { receivedAt: '2026-11-22T23:30:00Z' });
    const cookie = await signIn(w.keys.officer.key);
    expect((await page('/items?from=2026-11-23&to=2026-11-23', cookie)).html).toContain(`/items/${lateNight.id}`);
    expect((await page('/items?from=2026-11-22&to=2026-11-22', cookie)).html).not.toContain(`/items/${lateNight.id}`);
  });
});
