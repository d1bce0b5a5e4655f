// The one write path for item events (db/write/apply-item-event.ts): a step is load → If-Match →
// machine → content store → hash-chained event → save, and a refusal of any kind changes nothing.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent, type ItemEventResult } from '../../db/write/apply-item-event.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import { findItem, viewOf } from '../../db/items/items.ts';
import { subjectHistory, type Actor } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { contents } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, integrator, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('applying item events', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const count = async (statement: string, args: string[] = []) =>
    Number((await t.store.client.execute({ sql: statement, args })).rows[0]?.n);
  const ledgerCount = () => count('select count(*) as n from ledger_events');
  const contentCount = (itemId: string) => count('select count(*) as n from contents where item_id = ?', [itemId]);

  /** An organisation under `preset` with an active facebook account and one received comment. */
  async function setUp(preset: string) {
    const org = await organisation(t.store, preset);
    const account = await activeAccount(t.store, org);
    const item = await receivedItem(t.store, org, account.id, {
      author: { handle: 'resident42', name: 'Rut Resident' }, text: 'When does the library open on Saturdays?',
    });
    return { org, item };
  }

  function send(org: Organisation, itemId: string, event: ItemEventBody, opts: { minutes?: number; actor?: Actor; ifMatch?: number | null } = {}) {
    return applyItemEvent(t.store, {
      orgId: org.id, itemId, actor: opts.actor ?? officer, event, ifMatch: opts.ifMatch ?? null, idempotency: null,
      now: later(opts.minutes ?? 1),
    });
  }

  function accepted(result: ItemEventResult) {
    if (!result.ok) throw new Error(`expected the step to be accepted: ${result.code} ${result.detail}`);
    return result.item;
  }

  async function storedVersion(org: Organisation, itemId: string) {
    return (await findItem(t.store.db, org.id, itemId))?.version;
  }

  describe('under Tibro with an active facebook account', () => {
    it('walks ingest → ASSESS → ANSWER → REGISTER through versions 1 to 4 and their statuses (TI-11)', async () => {
      const { org, item } = await setUp('tibro');
      expect(item).toMatchObject({ version: 1, status: 'received', state: { handling: 'received', records: 'open' } });

      const assessed = accepted(await send(org, item.id, {
        type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required',
      }, { minutes: 1, ifMatch: 1 }));
      expect(assessed).toMatchObject({
        version: 2, status: 'assessed', state: { handling: 'assessed', records: 'open' },
        assessment: { decision: 'answer', categories: ['question'], registration: 'required' },
      });

      const answered = accepted(await send(org, item.id, { type: 'ANSWER', text: 'From ten to two.' }, { minutes: 2, ifMatch: 2 }));
      expect(answered).toMatchObject({ version: 3, status: 'answered', state: { handling: 'answered', records: 'open' } });

      const registered = accepted(await send(org, item.id, { type: 'REGISTER', number: 'KS 2026/123', caseRef: 'KS 2026/1' }, {
        minutes: 3, ifMatch: 3, actor: registrar,
      }));
      expect(registered).toMatchObject({
        version: 4, status: 'registered', state: { handling: 'answered', records: 'registered' },
        registration: { number: 'KS 2026/123', caseRef: 'KS 2026/1' },
      });

      const history = await subjectHistory(t.store.db, org.id, item.id);
      expect(history.map((e) => [e.seq, e.type, e.actor.role, e.at])).toEqual([
        [1, 'RECEIVED', 'integrator', t0.toISOString()],
        [2, 'ASSESS', 'officer', later(1).toISOString()],
        [3, 'ANSWER', 'officer', later(2).toISOString()],
        [4, 'REGISTER', 'registrar', later(3).toISOString()],
      ]);
      // Each link's `from` is the previous link's `to`.
      for (let i = 1; i < history.length; i++) expect(history[i]!.from).toEqual(history[i - 1]!.to);
      expect(await storedVersion(org, item.id)).toBe(4);
      expect((await verifyLedger(t.store.db)).ok).toBe(true);
    });

    it('answers a stale If-Match with precondition_failed and the current version, changing nothing', async () => {
      const { org, item } = await setUp('tibro');
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' }));
      const eventsBefore = await ledgerCount();
      const contentBefore = await contentCount(item.id);

      const stale = await send(org, item.id, { type: 'ANSWER', text: 'From ten to two.' }, { minutes: 2, ifMatch: 1 });
      expect(stale).toMatchObject({ ok: false, code: 'precondition_failed', current: 2 });
      expect(await storedVersion(org, item.id)).toBe(2);
      expect(await ledgerCount()).toBe(eventsBefore);
      // The answer's text was not put into the content store either.
      expect(await contentCount(item.id)).toBe(contentBefore);
    });

    it('answers an If-Match ahead of the item with precondition_failed too', async () => {
      const { org, item } = await setUp('tibro');
      const ahead = await send(org, item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' }, { ifMatch: 7 });
      expect(ahead).toMatchObject({ ok: false, code: 'precondition_failed', current: 1 });
      expect(await storedVersion(org, item.id)).toBe(1);
    });

    it('refuses UNPUBLISH before evidence is captured (TI-14) and appends nothing', async () => {
      const { org, item } = await setUp('tibro');
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['harassment'], registration: 'required' }));
      const eventsBefore = await ledgerCount();

      const refused = await send(org, item.id, { type: 'UNPUBLISH', reason: 'Harassment', categories: ['harassment'] }, { minutes: 2 });
      expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'TI-14' });
      if (!refused.ok && refused.code === 'refused') expect(refused.allowed).toContain('CAPTURE_EVIDENCE');
      expect(await ledgerCount()).toBe(eventsBefore);
      expect(await storedVersion(org, item.id)).toBe(2);
      const view = await viewOf(t.store.db, (await findItem(t.store.db, org.id, item.id))!);
      expect(view.deadlines).toContainEqual(expect.objectContaining({ kind: 'remove', status: 'open' }));
    });

    it('refuses UNPUBLISH with evidence but before registration (TI-14: registered before removal)', async () => {
      const { org, item } = await setUp('tibro');
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['harassment'], registration: 'required' }));
      accepted(await send(org, item.id, { type: 'CAPTURE_EVIDENCE' }, { minutes: 2, actor: integrator }));
      const refused = await send(org, item.id, { type: 'UNPUBLISH', reason: 'Harassment', categories: ['harassment'] }, { minutes: 3 });
      expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'TI-14' });
      accepted(await send(org, item.id, { type: 'REGISTER', number: 'KS 2026/9' }, { minutes: 4, actor: registrar }));
      const removed = accepted(await send(org, item.id, { type: 'UNPUBLISH', reason: 'Harassment', categories: ['harassment'] }, { minutes: 5 }));
      expect(removed).toMatchObject({ status: 'registered', state: { handling: 'unpublished', records: 'registered' }, version: 5 });
    });

    it('refuses an ANSWER to a political item (TI-9) without leaving its text in the content store', async () => {
      const { org, item } = await setUp('tibro');
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'forward', categories: ['political'], registration: 'not_required' }));
      accepted(await send(org, item.id, { type: 'FORWARD', to: 'The council' }, { minutes: 2 }));
      const eventsBefore = await ledgerCount();
      const contentBefore = await contentCount(item.id);

      const refused = await send(org, item.id, { type: 'ANSWER', text: 'Vote for us.' }, { minutes: 3 });
      expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'TI-9' });
      expect(await ledgerCount()).toBe(eventsBefore);
      expect(await contentCount(item.id)).toBe(contentBefore);
    });

    it('answers an event the chart does not offer in this state with not_allowed and the allowed events', async () => {
      const { org, item } = await setUp('tibro');
      const result = await send(org, item.id, { type: 'ANSWER', text: 'Too early.' });
      expect(result).toMatchObject({ ok: false, code: 'not_allowed' });
      if (!result.ok && result.code === 'not_allowed') expect(result.allowed).toContain('ASSESS');
      expect(await storedVersion(org, item.id)).toBe(1);
    });

    it('answers a category outside the policy\'s list with invalid and the path of each offending entry', async () => {
      const { org, item } = await setUp('tibro');
      const eventsBefore = await ledgerCount();
      const unknown = await send(org, item.id, { type: 'ASSESS', decision: 'no_action', categories: ['not_a_category'], registration: 'not_required' });
      expect(unknown).toMatchObject({ ok: false, code: 'invalid', errors: [{ path: 'categories.0' }] });

      const second = await send(org, item.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise', 'bogus', 'harassment', 'nope'], registration: 'not_required' });
      expect(second).toMatchObject({ ok: false, code: 'invalid' });
      if (!second.ok && second.code === 'invalid') expect(second.errors?.map((e) => e.path)).toEqual(['categories.1', 'categories.3']);
      expect(await ledgerCount()).toBe(eventsBefore);
      expect(await storedVersion(org, item.id)).toBe(1);
    });

    it('answers an unknown item, or another organisation\'s item, with not_found', async () => {
      const { org, item } = await setUp('tibro');
      const other = await organisation(t.store, 'avesta');
      const assess: ItemEventBody = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' };
      expect(await send(org, '00000000-0000-7000-8000-000000000000', assess)).toMatchObject({ ok: false, code: 'not_found' });
      expect(await send(other, item.id, assess)).toMatchObject({ ok: false, code: 'not_found' });
      expect(await storedVersion(org, item.id)).toBe(1);
    });

    it('keeps the ANSWER text and the ASSESS note out of the ledger, in the content store under a salted hash', async () => {
      const { org, item } = await setUp('tibro');
      const note = 'Rut asks every week; call her back at 070-123 45 67';
      const answer = 'Dear Rut, we open at ten on Saturdays.';
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required', note }));
      accepted(await send(org, item.id, { type: 'ANSWER', text: answer, referredTo: 'Library' }, { minutes: 2 }));

      const history = await subjectHistory(t.store.db, org.id, item.id);
      const serialised = JSON.stringify(history);
      for (const personal of [note, answer, 'Rut Resident', 'resident42', 'When does the library open']) {
        expect(serialised).not.toContain(personal);
      }
      const raw = await t.store.client.execute('select payload from ledger_events');
      for (const row of raw.rows) expect(String(row.payload)).not.toContain('Rut');

      const assessEvent = history.find((e) => e.type === 'ASSESS')!;
      const answerEvent = history.find((e) => e.type === 'ANSWER')!;
      expect(assessEvent.payload).not.toHaveProperty('note');
      expect(assessEvent.payload.noteSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(answerEvent.payload).not.toHaveProperty('text');
      expect(answerEvent.payload).toMatchObject({ referredTo: 'Library', textSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

      for (const [hash, body] of [
        [assessEvent.payload.noteSha256, { event: 'ASSESS', note }],
        [answerEvent.payload.textSha256, { event: 'ANSWER', text: answer }],
      ] as const) {
        const [row] = await t.store.db.select().from(contents).where(eq(contents.hash, String(hash)));
        expect(row).toMatchObject({ itemId: item.id, orgId: org.id, role: 'event', body, erasedAt: null });
        // The hash covers a random salt and the body, so short text cannot be confirmed by guessing.
        expect(sha256(String(row!.salt) + canonicalJson(row!.body))).toBe(hash);
        expect(sha256(canonicalJson(body))).not.toBe(hash);
      }
    });

    it('captures content and author as evidence when CAPTURE_EVIDENCE carries no hash (AV-7, TI-14)', async () => {
      const { org, item } = await setUp('tibro');
      accepted(await send(org, item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['harassment'], registration: 'required' }));
      const captured = accepted(await send(org, item.id, { type: 'CAPTURE_EVIDENCE' }, { minutes: 2, actor: integrator }));
      expect(captured.evidenceCaptured).toBe(true);

      const event = (await subjectHistory(t.store.db, org.id, item.id)).at(-1)!;
      expect(event.type).toBe('CAPTURE_EVIDENCE');
      const [row] = await t.store.db.select().from(contents).where(eq(contents.hash, String(event.payload.evidenceSha256)));
      expect(row).toMatchObject({
        itemId: item.id, role: 'evidence',
        body: {
          capturedAt: later(2).toISOString(), text: 'When does the library open on Saturdays?',
          author: { handle: 'resident42', name: 'Rut Resident' },
        },
      });
    });

    it('records a client-supplied evidence hash as given, storing no capture of its own', async () => {
      const { org, item } = await setUp('tibro');
      const evidenceSha256 = sha256('screenshot bytes');
      const before = await contentCount(item.id);
      accepted(await send(org, item.id, { type: 'CAPTURE_EVIDENCE', evidenceSha256 }, { actor: integrator }));
      const event = (await subjectHistory(t.store.db, org.id, item.id)).at(-1)!;
      expect(event.payload).toEqual({ evidenceSha256 });
      expect(await contentCount(item.id)).toBe(before);
    });
  });

  describe('thinning under Avesta', () => {
    async function noActionItem(registration: 'required' | 'not_required') {
      const { org, item } = await setUp('avesta');
      accepted(await send(org, item.id, {
        type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration, note: 'Nice words from Rut',
      }));
      accepted(await send(org, item.id, { type: 'CAPTURE_EVIDENCE' }, { minutes: 2 }));
      return { org, item };
    }

    it('erases every content row of the item on THIN, empties the view\'s content and keeps the ledger verifiable (AV-14)', async () => {
      const { org, item } = await noActionItem('not_required');
      const before = await t.store.db.select().from(contents).where(eq(contents.itemId, item.id));
      expect(before.map((row) => row.role).sort()).toEqual(['content', 'event', 'evidence']);

      const reason = 'Temporary value under AV-14';
      const thinned = accepted(await send(org, item.id, { type: 'THIN', reason }, { minutes: 3, actor: registrar }));
      expect(thinned).toMatchObject({ status: 'thinned', version: 4, content: null, state: { handling: 'no_action', records: 'thinned' } });

      const after = await t.store.db.select().from(contents).where(eq(contents.itemId, item.id));
      expect(after.map((row) => row.hash).sort()).toEqual(before.map((row) => row.hash).sort());
      for (const row of after) {
        expect(row).toMatchObject({ body: null, salt: null, erasedReason: reason, erasedAt: later(3).toISOString() });
      }
      const reread = await viewOf(t.store.db, (await findItem(t.store.db, org.id, item.id))!);
      expect(reread.content).toBeNull();
      expect(reread.contentSha256).toBe(item.contentSha256);
      expect(await verifyLedger(t.store.db)).toMatchObject({ ok: true, breaks: [] });
    });

    it('leaves the content of other items alone when one item is thinned', async () => {
      const { org, item } = await noActionItem('not_required');
      const neighbour = await receivedItem(t.store, org, item.accountId, { text: 'Keep me' });
      accepted(await send(org, item.id, { type: 'THIN', reason: 'Temporary value' }, { minutes: 3, actor: registrar }));
      const rows = await t.store.db.select().from(contents).where(eq(contents.itemId, neighbour.id));
      expect(rows).toEqual([expect.objectContaining({ body: expect.objectContaining({ text: 'Keep me' }), erasedAt: null })]);
    });

    it('accepts nothing more after THIN, not even evidence capture', async () => {
      const { org, item } = await noActionItem('not_required');
      accepted(await send(org, item.id, { type: 'THIN', reason: 'Temporary value' }, { minutes: 3, actor: registrar }));
      const eventsBefore = await ledgerCount();
      const result = await send(org, item.id, { type: 'CAPTURE_EVIDENCE' }, { minutes: 4 });
      expect(result).toMatchObject({ ok: false, code: 'not_allowed' });
      expect(await ledgerCount()).toBe(eventsBefore);
    });

    it('refuses THIN while registration is required (AV-12) and erases nothing', async () => {
      const { org, item } = await noActionItem('required');
      const eventsBefore = await ledgerCount();
      const refused = await send(org, item.id, { type: 'THIN', reason: 'Temporary value' }, { minutes: 3, actor: registrar });
      expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'AV-12' });
      expect(await ledgerCount()).toBe(eventsBefore);
      const rows = await t.store.db.select().from(contents).where(eq(contents.itemId, item.id));
      for (const row of rows) expect(row).toMatchObject({ erasedAt: null, body: expect.anything() });
    });

    it('refuses THIN of a held item (AV-14) until the hold is released', async () => {
      const { org, item } = await noActionItem('not_required');
      accepted(await send(org, item.id, { type: 'HOLD', reason: 'Access request pending' }, { minutes: 3, actor: registrar }));
      expect(await send(org, item.id, { type: 'THIN', reason: 'Temporary value' }, { minutes: 4, actor: registrar }))
        .toMatchObject({ ok: false, code: 'refused', rule: 'AV-14' });
      accepted(await send(org, item.id, { type: 'RELEASE_HOLD', reason: 'Request answered' }, { minutes: 5, actor: registrar }));
      expect(accepted(await send(org, item.id, { type: 'THIN', reason: 'Temporary value' }, { minutes: 6, actor: registrar })).status).toBe('thinned');
    });
  });
});
