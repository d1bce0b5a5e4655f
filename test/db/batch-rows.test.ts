// The write batch reads and writes its tables through the driver with hand-written mappers
// (db/write/batch-rows.ts). They must read every column exactly as Drizzle reads it, or a schema change
// would silently give the batch rows that differ from the rest of the product's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { contentTable, deadlineTable, idempotencyTable, itemTable, readRows, type BatchTable } from '../../db/write/batch-rows.ts';
import { eraseItemContents } from '../../db/items/contents.ts';
import { withWholeContexts } from '../../db/items/item-rules.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import { contents, deadlines, idempotencyKeys, items } from '../../db/schema.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the write batch row mappers', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
    const org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    const first = await receivedItem(t.store, org, account.id);
    const second = await receivedItem(t.store, org, account.id);
    // An assessed item (met and open deadlines), a remembered response, and an erased content row.
    const event: ItemEventBody = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' };
    const assessed = await applyItemEvent(t.store, {
      orgId: org.id, itemId: first.id, actor: officer, event, ifMatch: null, now: t0,
      idempotency: { key: 'retry-safe', fingerprint: sha256(canonicalJson({ itemId: first.id, event, ifMatch: null })) },
    });
    expect(assessed.ok).toBe(true);
    await t.store.writes.run((_tx, batch) => eraseItemContents(batch, second.id, 'thinned in the test', t0.toISOString()));
  });
  afterEach(() => t.cleanup());

  const cases: Array<[string, BatchTable<unknown>, () => Promise<unknown[]>]> = [
    // Items as the product reads them: Drizzle's row with its context made whole (item-rules.ts).
    ['items', itemTable as BatchTable<unknown>, async () => withWholeContexts(t.store.db, await t.store.db.select().from(items))],
    ['deadlines', deadlineTable as BatchTable<unknown>, () => t.store.db.select().from(deadlines)],
    ['contents', contentTable as BatchTable<unknown>, () => t.store.db.select().from(contents)],
    ['idempotency_keys', idempotencyTable as BatchTable<unknown>, () => t.store.db.select().from(idempotencyKeys)],
  ];

  it.each(cases)('read %s exactly as Drizzle reads them', async (_name, table, drizzleRows) => {
    const expected = await drizzleRows();
    expect(expected.length).toBeGreaterThan(0);
    expect(await readRows(t.store.client, table, 'true', [])).toEqual(expected);
  });

  it('write every column of a row back as the values Drizzle reads it from', async () => {
    for (const [, table, drizzleRows] of cases) {
      for (const row of await drizzleRows()) {
        const values = table.values(row);
        expect(values).toHaveLength(table.columns.length);
        // The values stored, read back through the mapper (JSON columns parsed), are the row again.
        const stored = values.map((value, i) => (table.json.includes(table.columns[i]!) && typeof value === 'string' ? JSON.parse(value) : value));
        expect(table.fromRow(stored)).toEqual(row);
      }
    }
  });
});
