// The list reader (db/items/list-reader.ts): GET /v1/items pages read on a thread of its own, with
// a client of its own, are the pages the request's thread reads, byte for byte, and see every
// committed write; once ended, the route reads in its own thread again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listItemsJson, type ItemQuery } from '../../db/items/items.ts';
import { startListReader, workerListReader, type ListReader } from '../../db/items/list-reader.ts';
import { openDatabase, type Store } from '../../db/client.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { createApp } from '../../server/app.ts';
import { activeAccount, officer, receivedItem, t0 } from '../helpers/fixtures.ts';
import { call, keysFor } from '../helpers/http.ts';
import { organisation } from '../helpers/fixtures.ts';
import type { Organisation } from '../../db/organisations.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the list reader', () => {
  let t: TempDb;
  let org: Organisation;
  let accountId: string;
  let reader: ListReader;

  beforeAll(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
    for (let i = 0; i < 7; i++) {
      const item = await receivedItem(t.store, org, accountId, { text: `Question ${i} "quoted" \u001e` });
      if (i % 2 === 0) {
        const result = await applyItemEvent(t.store, {
          orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: t0,
          event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
        });
        if (!result.ok) throw new Error(result.detail);
      }
    }
    reader = startListReader(t.url);
  });
  afterAll(async () => {
    await reader.close();
    t.cleanup();
  });

  const later = new Date(t0.getTime() + 30 * 24 * 3600 * 1000);
  const queries: Array<[string, ItemQuery]> = [
    ['everything', { limit: 200, now: t0 }],
    ['a page of 2', { limit: 2, now: t0 }],
    ['one status and account', { status: 'assessed', accountId: 'account', limit: 50, now: t0 }],
    ['overdue a month later', { overdue: true, limit: 3, now: later }],
  ];

  it.each(queries)('reads %s as the request\'s thread does', async (_name, partial) => {
    const query = { ...partial, accountId: partial.accountId ? accountId : undefined };
    const own = await listItemsJson(t.store.db, org.id, query);
    expect(JSON.parse(own).items.length).toBeGreaterThan(0);
    expect(Buffer.from(await reader.page(org.id, query)).toString('utf8')).toBe(own);
  });

  it('sees an item committed just before it is asked', async () => {
    const item = await receivedItem(t.store, org, accountId, { text: 'Just in' });
    const page = JSON.parse(Buffer.from(await reader.page(org.id, { limit: 200, now: t0 })).toString('utf8')) as { items: Array<{ id: string }> };
    expect(page.items.map((listed) => listed.id)).toContain(item.id);
  });

  it('answers the route with the same bytes as the request\'s thread, and hands back to it once ended', async () => {
    const keys = await keysFor(t, org.id);
    const path = `/v1/items?status=received&accountId=${accountId}&limit=3`;
    const key = keys.officer.key;
    const own = await call(createApp({ store: t.store, clock: () => t0 }, () => {}), 'GET', path, { key });
    const second = startListReader(t.url);
    const app = createApp({ store: t.store, clock: () => t0, listReader: second }, () => {});
    const threaded = await call(app, 'GET', path, { key });
    expect(threaded.status).toBe(200);
    expect(threaded.headers.get('content-type')).toBe('application/json');
    expect(threaded.text).toBe(own.text);
    await second.close();
    expect(second.alive).toBe(false);
    await expect(second.page(org.id, { limit: 1, now: t0 })).rejects.toThrow(/ended/);
    expect((await call(app, 'GET', path, { key })).text).toBe(own.text);
  });
});

describe('the list read on the write worker (LIST_READER=worker)', () => {
  let t: TempDb;
  let store: Store;
  let org: Organisation;
  let accountId: string;
  let reader: ListReader;
  const own = (orgId: string, query: ItemQuery) => listItemsJson(store.db, orgId, query);

  beforeAll(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
    for (let i = 0; i < 60; i++) await receivedItem(t.store, org, accountId, { text: `Question ${i} "quoted"` });
    store = await openDatabase(t.url, undefined, { writeWorker: true });
    reader = workerListReader(store.worker!, own);
  });
  afterAll(async () => {
    await reader.close();
    store.close();
    t.cleanup();
  });

  it('reads the pages the request\'s thread reads, byte for byte', async () => {
    for (const query of [{ limit: 200, now: t0 }, { limit: 7, now: t0 }, { status: 'received', accountId, limit: 50, now: t0 }]) {
      const bytes = await reader.page(org.id, query);
      expect(Buffer.from(bytes).toString('utf8')).toBe(await own(org.id, query));
    }
  });

  it('sees an item the worker acknowledged just before', async () => {
    const item = await receivedItem(store, org, accountId, { text: 'Just in' });
    const page = JSON.parse(Buffer.from(await reader.page(org.id, { limit: 200, now: t0 })).toString('utf8')) as { items: Array<{ id: string }> };
    expect(page.items.map((listed) => listed.id)).toContain(item.id);
  });

  it('lets a write through while a burst of pages waits', async () => {
    const settled: string[] = [];
    const pages = Array.from({ length: 300 }, () => reader.page(org.id, { limit: 50, now: t0 }).then(() => settled.push('page')));
    const write = receivedItem(store, org, accountId, { text: 'Amid the pages' }).then(() => settled.push('write'));
    await Promise.all([...pages, write]);
    expect(settled).toHaveLength(301);
    expect(settled.indexOf('write')).toBeLessThan(250);
  });

  it('reads a page on the request\'s thread when the worker stops before it answers', async () => {
    const query = { limit: 20, now: t0 };
    const asked = reader.page(org.id, query);
    await store.worker!.thread.terminate();
    expect(Buffer.from(await asked).toString('utf8')).toBe(await own(org.id, query));
    // The next page starts a new worker.
    expect(Buffer.from(await reader.page(org.id, query)).toString('utf8')).toBe(await own(org.id, query));
  });
});
