// The municipality's own words (issue 16): the text of ANSWER, ACKNOWLEDGE, NOTIFY_AUTHOR and
// CORRECT, an assessment's note and where a REFER sent the item are shown, until thinned, in
// GET /v1/items/{id} (`replies`), in the history (`text`/`note` per event), in the audit export and
// on the item page, to every role that may read the item; THIN turns them to null.
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../machines/item.events.ts';
import { activeAccountOverHttp, call, historyOf, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const note = 'Asked twice already; be brief.';
const holding = 'We have your question and answer within two days.';
const answer = 'The pool opens at seven on weekdays.';

describe('the words recorded on an item', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;
  let answered: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
    answered = (await ingest(w, accountId, { text: 'When does the pool open?' })).id;
    await step(w, 'officer', answered, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required', note });
    await step(w, 'officer', answered, { type: 'ACKNOWLEDGE', text: holding });
    await step(w, 'officer', answered, { type: 'ANSWER', text: answer });
  });
  afterAll(() => t.cleanup());

  it('lists them as replies in GET /v1/items/{id}, in order, to every role that reads the item', async () => {
    for (const role of roles) {
      const res = await call(w.app, 'GET', `/v1/items/${answered}`, { key: w.keys[role].key });
      expect(res.status, role).toBe(200);
      expect(res.json.replies.map((r: { type: string; text: string | null; note: string | null; erased: boolean }) => [r.type, r.text, r.note, r.erased])).toEqual([
        ['ASSESS', null, note, false],
        ['ACKNOWLEDGE', holding, null, false],
        ['ANSWER', answer, null, false],
      ]);
      expect(res.json.replies[2]).toMatchObject({ seq: 4, actor: { role: 'officer', keyId: w.keys.officer.id }, to: null, at: expect.any(String) });
    }
  });

  it('gives each history event its text or note where it has one, and leaves the API.md fields as they were', async () => {
    const events = await historyOf(w, answered);
    expect(events.map((e) => [e.type, e.text, e.note])).toEqual([
      ['RECEIVED', undefined, undefined],
      ['ASSESS', undefined, note],
      ['ACKNOWLEDGE', holding, undefined],
      ['ANSWER', answer, undefined],
    ]);
    for (const event of events) {
      expect(Object.keys(event)).toEqual(expect.arrayContaining(['seq', 'type', 'actor', 'at', 'machine', 'from', 'to', 'payload', 'prevHash', 'hash']));
      // The ledger still carries only the salted hash, never the words.
      expect(JSON.stringify(event.payload)).not.toContain('pool opens');
    }
  });

  it('names where a REFER sent the item', async () => {
    const referred = (await ingest(w, accountId)).id;
    await step(w, 'officer', referred, { type: 'ASSESS', decision: 'forward', categories: ['question'], registration: 'not_required' });
    await step(w, 'officer', referred, { type: 'REFER', to: 'Skatteverket' });
    const res = await call(w.app, 'GET', `/v1/items/${referred}`, { key: w.keys.auditor.key });
    expect(res.json.replies.at(-1)).toMatchObject({ type: 'REFER', to: 'Skatteverket', text: null });
  });

  it('puts them in the audit export\'s items.json', async () => {
    const auditor = await signIn(w.app, w.keys.auditor.key);
    const zip = await getPage(w.app, auditor, `/audit/export?itemId=${answered}`);
    expect(zip.status).toBe(200);
    const [item] = JSON.parse(strFromU8(unzipSync(zip.bytes)['items.json']!));
    expect(item.replies.map((r: { text: string | null }) => r.text)).toEqual([null, holding, answer]);
    expect(item.replies[0].note).toBe(note);
  });

  it('shows them on the item page, in the timeline and beside the content', async () => {
    const page = (await getPage(w.app, await signIn(w.app, w.keys.registrar.key), `/items/${answered}`)).html;
    const said = page.slice(page.indexOf('id="said"'), page.indexOf('id="statechart"'));
    expect(said).toContain(answer);
    expect(said).toContain(holding);
    const timeline = page.slice(page.indexOf('id="timeline"'), page.indexOf('id="replay"'));
    expect(timeline).toContain(answer);
    expect(timeline).toContain(`Note: <span class="text">${note}</span>`);
  });

  it('shows null and "erased" once the item is thinned, everywhere', async () => {
    await step(w, 'registrar', answered, { type: 'THIN', reason: 'Of minor value (TI-13)' });
    const res = await call(w.app, 'GET', `/v1/items/${answered}`, { key: w.keys.officer.key });
    expect(res.json.replies.map((r: { text: string | null; note: string | null; erased: boolean }) => [r.text, r.note, r.erased])).toEqual([
      [null, null, true], [null, null, true], [null, null, true],
    ]);
    const events = await historyOf(w, answered);
    expect(events.map((e) => [e.type, e.text, e.note]).slice(1, 4)).toEqual([
      ['ASSESS', undefined, null], ['ACKNOWLEDGE', null, undefined], ['ANSWER', null, undefined],
    ]);
    const page = (await getPage(w.app, await signIn(w.app, w.keys.officer.key), `/items/${answered}`)).html;
    expect(page).not.toContain(answer);
    expect(page).not.toContain(holding);
    expect(page).toContain('Its text was erased by thinning.');
    const zip = await getPage(w.app, await signIn(w.app, w.keys.auditor.key), `/audit/export?itemId=${answered}`);
    expect(strFromU8(unzipSync(zip.bytes)['items.json']!)).not.toContain(answer);
  });
});
