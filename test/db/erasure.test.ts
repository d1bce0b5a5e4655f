// THIN erases every copy of an item's personal content, including responses remembered for
// Idempotency-Key retries (AV-14, TI-13).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

it('leaves no text or author in remembered idempotent responses after THIN, and a retry returns none', async () => {
  const org = await organisation(t.store, 'avesta');
  const account = await activeAccount(t.store, org);
  const item = await receivedItem(t.store, org, account.id, {
    text: 'Rut Resident lives at Storgatan 1', author: { handle: 'rut', name: 'Rut Resident' },
  });
  const assess: ItemEventBody = { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' };
  const key = { key: 'assess-1', fingerprint: 'fp-1' };
  const first = await applyItemEvent(t.store, { orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: key, now: t0, event: assess });
  expect(JSON.stringify(first)).toContain('Rut Resident');
  const thinned = await applyItemEvent(t.store, {
    orgId: org.id, itemId: item.id, actor: registrar, ifMatch: null, idempotency: null, now: t0, event: { type: 'THIN', reason: 'Temporary value' },
  });
  expect(thinned).toMatchObject({ ok: true, item: { status: 'thinned', content: null } });

  const remembered = await t.store.client.execute('select body from idempotency_keys');
  expect(remembered.rows).toHaveLength(1);
  expect(String(remembered.rows[0]!.body)).not.toContain('Rut Resident');
  expect(String(remembered.rows[0]!.body)).not.toContain('Storgatan');
  const retried = await applyItemEvent(t.store, { orgId: org.id, itemId: item.id, actor: officer, ifMatch: null, idempotency: key, now: t0, event: assess });
  expect(retried).toMatchObject({ ok: true, replayed: true, item: { id: item.id, version: 2, content: null } });
});
