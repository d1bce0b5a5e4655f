// A registrar's THIN is a thinning decision of its own, recorded like a scheduled one (the
// thinning-decision effect of the step): who, when, under which rule, which item.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listThinningDecisions } from '../../db/items/thinning.ts';
import type { Organisation } from '../../db/organisations.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let org: Organisation;

beforeEach(async () => {
  t = await tempDb();
  org = await organisation(t.store, 'tibro');
});
afterEach(() => t.cleanup());

async function send(itemId: string, event: Parameters<typeof applyItemEvent>[1]['event'], actor = officer, minutes = 1) {
  return applyItemEvent(t.store, { orgId: org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: new Date(t0.getTime() + minutes * 60_000) });
}

describe("a registrar's THIN", () => {
  it('writes a thinning decision naming the registrar, the rule and the item, and /v1/audit/thinning lists it', async () => {
    const account = await activeAccount(t.store, org);
    const item = await receivedItem(t.store, org, account.id);
    expect((await send(item.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' })).ok).toBe(true);
    const thinned = await send(item.id, { type: 'THIN', reason: 'Praise of temporary value' }, registrar, 2);
    expect(thinned.ok && thinned.item.status).toBe('thinned');

    const { decisions } = await listThinningDecisions(t.store.db, org.id, 10);
    expect(decisions).toEqual([
      expect.objectContaining({
        rule: 'TI-13', itemIds: [item.id], reason: 'Praise of temporary value', job: `registrar:${registrar.keyId}`,
        decidedAt: new Date(t0.getTime() + 120_000).toISOString(), preset: 'tibro',
      }),
    ]);
  });

  it('writes no decision when the THIN is refused', async () => {
    const account = await activeAccount(t.store, org);
    const item = await receivedItem(t.store, org, account.id);
    const refused = await send(item.id, { type: 'THIN', reason: 'Too early' }, registrar);
    expect(refused.ok).toBe(false);
    expect((await listThinningDecisions(t.store.db, org.id, 10)).decisions).toEqual([]);
  });
});
