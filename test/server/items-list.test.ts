// The items list an officer scans (GET /items): each row's text snippet, account, received time,
// state in words and overdue / due-soon badges; sorting by received time both ways with pages
// that neither repeat nor skip a row, ties included; and the received order read off its index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemSearch } from '../../db/items/worklist.ts';
import { activeAccount, receivedItem } from '../helpers/fixtures.ts';
import { httpWorld, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const ids = (html: string) => [...html.matchAll(/<tr data-item="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const nextHref = (html: string) => /rel="next" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;

describe('the items list', () => {
  let t: TempDb;
  let w: HttpWorld;
  let session: Session;
  let received: Array<{ id: string; receivedAt: string }>;
  let library: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    const account = await activeAccount(t.store, w.org);
    received = [];
    // 60 items whose received instants run against their ingest order, with ties every third one.
    for (let i = 0; i < 60; i++) {
      const receivedAt = new Date(Date.parse('2026-11-23T08:00:00Z') - Math.floor(i / 3) * 60_000).toISOString();
      const item = await receivedItem(t.store, w.org, account.id, { receivedAt, text: `Question number ${i} about the ${'very '.repeat(40)}long opening hours` });
      received.push({ id: item.id, receivedAt });
    }
    library = (await receivedItem(t.store, w.org, account.id, { text: 'When does the library open on Sunday?' })).id;
    session = await signIn(w.app, w.keys.officer.key);
  });
  afterAll(() => t.cleanup());

  async function walk(first: string): Promise<string[]> {
    const seen: string[] = [];
    let href: string | null = first;
    for (let pages = 0; href && pages < 5; pages++) {
      const page = await getPage(w.app, session, href);
      expect(page.status, href).toBe(200);
      seen.push(...ids(page.html));
      href = nextHref(page.html);
    }
    return seen;
  }

  const all = () => [...received, { id: library, receivedAt: '2026-11-23T09:00:00.000Z' }];
  const order = (dir: 1 | -1) => all()
    .sort((a, b) => dir * (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1))
    .map((row) => row.id);

  it('sorts by received time, newest first, page by page without repeating or skipping a row', async () => {
    expect(await walk('/items?sort=received-desc')).toEqual(order(-1));
  });

  it('sorts by received time, oldest first, page by page', async () => {
    expect(await walk('/items?sort=received-asc')).toEqual(order(1));
  });

  it('keeps the filters on the sort link and the next page link', async () => {
    const page = await getPage(w.app, session, '/items?sort=received-desc&text=question');
    expect(ids(page.html)).toHaveLength(50);
    expect(ids(page.html)).not.toContain(library);
    expect(nextHref(page.html)).toMatch(/^\/items\?text=question&sort=received-desc&after=/);
    expect(page.html).toMatch(/id="sort-received"[^>]*>Received ↓</);
    expect(/href="([^"]+)" id="sort-received"/.exec(page.html)![1]!.replaceAll('&amp;', '&')).toBe('/items?text=question&sort=received-asc');
  });

  it('shows the start of the text, the account, the received time and the state in words', async () => {
    // Ingested at one clock instant, the items' ids do not order them: each row is found by its own search.
    const page = await getPage(w.app, session, '/items?text=library');
    const row = /<tr data-item="[^"]+">[\s\S]*?<\/tr>/.exec(page.html.slice(page.html.indexOf(`<tr data-item="${library}"`)))![0];
    expect(row).toContain('When does the library open on Sunday?');
    expect(row).toContain('facebook: ');
    expect(row).toContain('Waiting for assessment');
    expect(row).toMatch(/<time datetime="2026-11-23T09:00:00.000Z">2026-11-23 10:00/);
    // A long text is cut short.
    const longPage = (await getPage(w.app, session, '/items?sort=received-asc')).html;
    const long = /<a href="\/items\/[^"]+" class="snippet">([^<]+)<\/a>/.exec(longPage.slice(longPage.indexOf(`<tr data-item="${order(1)[0]}"`)))![1]!;
    expect(long.length).toBeLessThanOrEqual(140);
    expect(long.endsWith('…')).toBe(true);
  });

  it('flags a deadline due within a day as due soon, and one past due as overdue (breached or not)', async () => {
    const badges = async () => {
      // A session lasts hours, not days: sign in again at each instant.
      const page = await getPage(w.app, await signIn(w.app, w.keys.officer.key), `/items?text=library`);
      return [...page.html.matchAll(/data-due="(\w+)"[^>]*>([^<]+)</g)].map((m) => `${m[1]}: ${m[2]}`);
    };
    expect(await badges()).toEqual([]);
    w.clock.now = new Date('2026-11-24T12:00:00Z');
    expect(await badges()).toEqual(['soon: due soon: assessment']);
    w.clock.now = new Date('2026-11-26T12:00:00Z');
    expect(await badges()).toEqual(['overdue: overdue: assessment']);
    // Once the minute job has marked it breached, it is still overdue.
    await t.store.client.execute({ sql: "update deadlines set status = 'breached', breached_at = ? where item_id = ?", args: ['2026-11-25T00:00:00.000Z', library] });
    expect(await badges()).toEqual(['overdue: overdue: assessment']);
    w.clock.now = new Date('2026-11-23T09:00:00Z');
  });

  it('refuses an unknown order or a broken cursor with 400', async () => {
    expect((await getPage(w.app, session, '/items?sort=sideways')).status).toBe(400);
    expect((await getPage(w.app, session, '/items?sort=received-asc&after=yesterday')).status).toBe(400);
  });

  it('reads a received order off items_org_received_id, with no sort at all (ties included)', async () => {
    const { sql, params } = itemSearch(t.store.db, w.org.id, { sort: 'received-desc', after: received[10]! }, w.clock.now, 50, false).toSQL();
    const plan = (await t.store.client.execute({ sql: `explain query plan ${sql}`, args: params as never })).rows.map((r) => String(r.detail)).join('\n');
    expect(plan).toMatch(/items_org_received/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
