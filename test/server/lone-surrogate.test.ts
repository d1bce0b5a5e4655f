// Text a client sends may hold a lone surrogate (JSON's "\ud800" escape is valid JSON). Stored,
// it is JSON.stringify's escape again; SQLite's own JSON decoding of it is not UTF-8, and the
// libSQL driver aborts the whole process when a statement returns such a value (found by the long
// fuzz run, `npm run test:long`, seed 1370290689: an items page after such an ingest). So no
// statement returns text SQLite decoded from JSON: the items page's snippets and the archive's
// case references are read as JSON and parsed in JavaScript.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArchive } from '../../db/archive/archive-source.ts';
import type { Actor } from '../../db/ledger/ledger.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, officer, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { httpWorld, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const lone = 'Broken \ud800 pair';

describe('a lone surrogate in what a client sent', () => {
  let t: TempDb;
  let w: HttpWorld;
  let itemId: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    const account = await activeAccount(t.store, w.org);
    const response = await w.app.request('/v1/items', {
      method: 'POST',
      headers: { authorization: `Bearer ${w.keys.integrator.key}`, 'content-type': 'application/json' },
      // Written by hand: the escape itself travels, as a client would send it.
      body: `{"accountId":"${account.id}","externalId":"lone-1","kind":"comment","direction":"inbound","text":"Broken \\ud800 pair","author":{"handle":"h","name":"N"}}`,
    });
    expect(response.status).toBe(201);
    itemId = ((await response.json()) as { id: string }).id;
    const steps: Array<[ItemEventBody, Actor]> = [
      [{ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' }, officer],
      [{ type: 'REGISTER', number: '2026/1', caseRef: lone }, registrar],
    ];
    for (const [event, actor] of steps) {
      const result = await applyItemEvent(t.store, { orgId: w.org.id, itemId, actor, event, ifMatch: null, idempotency: null, now: new Date(t0.getTime() + 60_000) });
      expect(result.ok).toBe(true);
    }
  });
  afterAll(() => t.cleanup());

  it('shows the items page with the text as the client sent it', async () => {
    const page = await getPage(w.app, await signIn(w.app, w.keys.officer.key), '/items');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-item="${itemId}"`);
    expect(page.html).toContain('Broken');
  });

  it('plans an archive with the case reference as the registrar gave it', async () => {
    const plan = await planArchive(t.store.db, w.org.id, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(plan.items.find((item) => item.id === itemId)?.caseRef).toBe(lone);
  });

  it('still finds items by a word of their text', async () => {
    const other = await receivedItem(t.store, w.org, (await activeAccount(t.store, w.org, { handle: 'second' })).id, { text: 'Library hours' });
    const page = await getPage(w.app, await signIn(w.app, w.keys.officer.key), '/items?text=library');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-item="${other.id}"`);
    expect(page.html).not.toContain(`data-item="${itemId}"`);
  });
});
