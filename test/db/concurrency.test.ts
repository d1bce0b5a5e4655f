// Many writers at once in one process: optimistic concurrency on an item's version, ingest
// de-duplication inside one burst, and the write queue rolling back a failing command alone.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { findItem, ingestItem, type NewItem } from '../../db/items/items.ts';
import { appendEvent, subjectHistory } from '../../db/ledger/ledger.ts';
import { policyOf, type Organisation } from '../../db/organisations.ts';
import { contents, items, organisations } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { activeAccount, integrator, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('concurrent writers', () => {
  let t: TempDb;
  let org: Organisation;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
  });
  afterEach(() => t.cleanup());

  const count = async (statement: string, args: string[] = []) =>
    Number((await t.store.client.execute({ sql: statement, args })).rows[0]?.n);

  const newItem = (externalId: string, text = `Question ${externalId}`): NewItem => ({
    accountId, externalId, kind: 'comment', direction: 'inbound', author: { handle: `h-${externalId}` }, text,
  });
  const ingest = (item: NewItem) => ingestItem(t.store, { orgId: org.id, actor: integrator, item, now: later(1) });

  it('lets exactly one of 20 parallel steps with the same If-Match through; the rest fail the precondition', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const eventsBefore = await count('select count(*) as n from ledger_events');
    // Re-assessment is always allowed here, so only the version can turn a step away.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        applyItemEvent(t.store, {
          orgId: org.id, itemId: item.id, actor: officer, ifMatch: 1, idempotency: null, now: later(2),
          event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note: `writer ${i}` },
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect(failure).toMatchObject({ ok: false, code: 'precondition_failed', current: 2 });

    expect(await count('select count(*) as n from ledger_events')).toBe(eventsBefore + 1);
    expect((await findItem(t.store.db, org.id, item.id))?.version).toBe(2);
    // Only the winner's note reached the content store.
    expect(await count("select count(*) as n from contents where item_id = ? and role = 'event'", [item.id])).toBe(1);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('serialises 20 parallel steps without If-Match into 20 consecutive versions', async () => {
    const item = await receivedItem(t.store, org, accountId);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        applyItemEvent(t.store, {
          orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: null, now: later(2),
          event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' },
        }),
      ),
    );
    expect(results.map((r) => (r.ok ? r.item.version : null)).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect((await subjectHistory(t.store.db, org.id, item.id)).map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('ingests 200 distinct items in one burst, and answers a duplicate in the same burst with the first item', async () => {
    const burst = Array.from({ length: 200 }, (_, i) => newItem(`ext-${i}`));
    const duplicate = newItem('ext-57', 'A retry with other text');
    const results = await Promise.all([...burst.slice(0, 100), duplicate, ...burst.slice(100)].map(ingest));

    const created = results.filter((r) => r.ok && r.created);
    expect(created).toHaveLength(200);
    const again = results[100]!;
    const original = results[57]!;
    expect(again).toMatchObject({ ok: true, created: false });
    if (!again.ok || !original.ok) throw new Error('unreachable');
    expect(again.item.id).toBe(original.item.id);
    expect(again.item.content?.text).toBe('Question ext-57');

    expect(await count('select count(*) as n from items where org_id = ?', [org.id])).toBe(200);
    expect(await count("select count(*) as n from ledger_events where type = 'RECEIVED'")).toBe(200);
    expect(await count("select count(distinct subject_id) as n from ledger_events where type = 'RECEIVED'")).toBe(200);
    expect(await count("select count(*) as n from contents where role = 'content'")).toBe(200);
    expect(new Set(created.map((r) => (r.ok ? r.item.id : ''))).size).toBe(200);
    // Every RECEIVED is the first link of its item.
    expect(await count("select count(*) as n from ledger_events where type = 'RECEIVED' and seq <> 1")).toBe(0);
    expect(await verifyLedger(t.store.db)).toMatchObject({ ok: true, breaks: [] });
  });

  it('commits the good commands of one tick and rolls back only the one that throws, ledger link included', async () => {
    const good = [newItem('good-1'), newItem('good-2'), newItem('good-3')];
    const headBefore = (await t.store.db.select().from(organisations).where(eq(organisations.id, org.id)))[0]!;
    const bad = t.store.writes.run(async (tx, batch) => {
      // Partial work first: a content row and a ledger link (which moves the organisation's head)…
      await tx.insert(contents).values({
        hash: 'f'.repeat(64), orgId: org.id, itemId: 'doomed', role: 'content', body: { text: 'doomed' }, salt: 's', createdAt: t0.toISOString(),
      });
      await appendEvent(batch, {
        orgId: org.id, subject: 'item', subjectId: 'doomed', seq: 1, type: 'RECEIVED', actor: integrator,
        at: t0.toISOString(), machine: 'item@1', from: null, to: { handling: 'received', records: 'open' }, payload: {},
      });
      // …then a duplicate primary key.
      await tx.insert(organisations).values({ ...headBefore });
    });
    const results = await Promise.allSettled([ingest(good[0]!), bad, ingest(good[1]!), ingest(good[2]!)]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    for (const r of results) if (r.status === 'fulfilled') expect(r.value).toMatchObject({ ok: true, created: true });
    expect(await count('select count(*) as n from items where org_id = ?', [org.id])).toBe(3);
    expect(await count("select count(*) as n from contents where item_id = 'doomed'")).toBe(0);
    expect(await count("select count(*) as n from ledger_events where subject_id = 'doomed'")).toBe(0);
    const [head] = await t.store.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(head?.ledgerSeq).toBe(headBefore.ledgerSeq + 3);
    expect(await verifyLedger(t.store.db)).toMatchObject({ ok: true, breaks: [] });
  });

  it('keeps the queue usable after a rejected command', async () => {
    const item = await receivedItem(t.store, org, accountId);
    await expect(t.store.writes.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await t.store.writes.run((tx) => tx.update(items).set({ updatedAt: later(5).toISOString() }).where(eq(items.id, item.id)));
    expect((await findItem(t.store.db, org.id, item.id))?.updatedAt).toBe(later(5).toISOString());
  });
});
