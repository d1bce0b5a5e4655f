// Issue 17, done when: a sixth municipality, Danish, on its own guideline (docs/examples/policy-dk.json,
// rule ids EK-1…EK-8) runs items through assessment, answer, registration and thinning on its own
// rules; a refusal cites its own rule id, and the item page shows that rule's text. A policy change
// mid-way leaves replays of items started before it matching their stored state, and the chain verifies.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listThinningDecisions } from '../../db/items/thinning.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { createOrganisation } from '../../db/organisations.ts';
import { createApp } from '../../server/app.ts';
import { thinning } from '../../schedules/thinning.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, expectProblem, ingest, keysFor, send, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const danish = JSON.parse(readFileSync(new URL('../../docs/examples/policy-dk.json', import.meta.url), 'utf8'));
const ruleText = (id: string) => danish.rules.find((rule: { id: string }) => rule.id === id).text as string;

let t: TempDb;
let w: HttpWorld;
let accountId: string;

beforeEach(async () => {
  t = await tempDb();
  const created = await createOrganisation(t.store, { slug: 'eksempelby', policy: danish }, t0);
  if (!created.ok) throw new Error(created.detail);
  const clock = { now: t0 }; // Monday 2026-11-23 10:00 in Copenhagen
  w = { org: created.organisation, keys: await keysFor(t, created.organisation.id), app: createApp({ store: t.store, clock: () => clock.now }, () => {}), clock };
  accountId = await activeAccountOverHttp(w); // EK-1's decision and EK-2's two administrators
});
afterEach(() => t.cleanup());

const deadline = (item: { deadlines: Array<{ kind: string; dueAt: string; status: string }> }, kind: string) =>
  item.deadlines.find((d) => d.kind === kind);
const replayOf = async (id: string) => (await call(w.app, 'GET', `/v1/items/${id}/replay`, { key: w.keys.auditor.key })).json;

describe('a Danish municipality on its own rules', () => {
  it('assesses, answers and registers an item on Copenhagen weekdays, and thins another under EK-7', async () => {
    const item = await ingest(w, accountId);
    // EK-3: assessed by the end of the next weekday, Tuesday 24 November 24:00 CET.
    expect(deadline(item, 'assess')).toMatchObject({ dueAt: '2026-11-24T23:00:00.000Z', status: 'open' });
    const assessed = await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    // EK-3: answered within two weekdays of receipt: the end of Wednesday 25 November.
    expect(deadline(assessed, 'answer')).toMatchObject({ dueAt: '2026-11-25T23:00:00.000Z', status: 'open' });
    await step(w, 'officer', item.id, { type: 'ANSWER', text: 'Biblioteket åbner klokken ni.' });
    const registered = await step(w, 'registrar', item.id, { type: 'REGISTER', number: 'EK 2026/17' });
    expect(registered).toMatchObject({ status: 'registered', registration: { number: 'EK 2026/17' } });

    const praise = await ingest(w, accountId, { text: 'Tak for svaret!' });
    await step(w, 'officer', praise.id, { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' });
    const deps = { store: t.store, clock: () => w.clock.now };
    expect(await thinning.run(deps, new Date('2027-02-01T00:00:00Z'))).toMatchObject({ thinned: 0 }); // not three months yet
    expect(await thinning.run(deps, new Date('2027-03-01T00:00:00Z'))).toMatchObject({ thinned: 1, decisions: 1 });
    const [decision] = (await listThinningDecisions(t.store.db, w.org.id, 10)).decisions;
    expect(decision).toMatchObject({ rule: 'EK-7', itemIds: [praise.id] });
    const thinned = (await call(w.app, 'GET', `/v1/items/${praise.id}`, { key: w.keys.officer.key })).json;
    expect(thinned).toMatchObject({ status: 'thinned', content: null });
    expect((await call(w.app, 'GET', `/v1/items/${item.id}`, { key: w.keys.officer.key })).json.status).toBe('registered');
    expect(await replayOf(item.id)).toMatchObject({ matchesStored: true });
  });

  it('refuses under its own rule EK-5, and the item page shows EK-5\'s text', async () => {
    const item = await ingest(w, accountId, { text: 'Her er CPR-nummeret på min nabo' });
    // EK-5: confidential information is registered; "not required" is refused with the rule.
    const refused = expectProblem(await send(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['secret'], registration: 'not_required' }), 409);
    expect(refused.rule).toBe('EK-5');
    // EK-5: content and sender are saved before removal; the page names the rule and its text.
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['secret'], registration: 'required' });
    const page = await getPage(w.app, await signIn(w.app, w.keys.officer.key), `/items/${item.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Refused now under EK-5: ${ruleText('EK-5')}`);
  });
});

describe('a policy change mid-way', () => {
  it('keeps open deadlines and items started before it replaying as stored; new items follow the new version; the chain verifies', async () => {
    const before = await ingest(w, accountId);
    const assessed = await step(w, 'officer', before.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    const answerDue = deadline(assessed, 'answer')!.dueAt;

    w.clock.now = new Date('2026-11-23T12:00:00Z');
    const changed = await call(w.app, 'PUT', '/v1/policy', {
      key: w.keys.admin.key, headers: { 'if-match': '"1"' },
      body: { ...danish, windows: { ...danish.windows, answer: { hours: 4, on: 'weekdays' } }, registration: { ...danish.registration, allItems: 'EK-6' } },
    });
    expect(changed.status, changed.text).toBe(200);

    // The item received under version 1 keeps its due instant and its rules (registration stays the officer's choice).
    const answered = await step(w, 'officer', before.id, { type: 'ANSWER', text: 'Svar.' });
    expect(deadline(answered, 'answer')).toMatchObject({ dueAt: answerDue, status: 'met' });
    expect(await replayOf(before.id)).toMatchObject({ matchesStored: true });

    // An item received under version 2: all items registered (EK-6), and the new answer window.
    const after = await ingest(w, accountId);
    const refused = expectProblem(await send(w, 'officer', after.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' }), 409);
    expect(refused.rule).toBe('EK-6');
    const assessedAfter = await step(w, 'officer', after.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    expect(deadline(assessedAfter, 'answer')!.dueAt).toBe('2026-11-23T16:00:00.000Z'); // 12:00Z + 4 weekday hours
    expect(await replayOf(after.id)).toMatchObject({ matchesStored: true });

    const versions = (await t.store.client.execute({ sql: 'select subject_id, type, policy_version from ledger_events where org_id = ? order by org_seq', args: [w.org.id] })).rows;
    expect(versions.filter((r) => r.subject_id === before.id).map((r) => [r.type, r.policy_version])).toEqual([['RECEIVED', 1], ['ASSESS', 1], ['ANSWER', 2]]);
    expect(versions.filter((r) => r.subject_id === after.id).every((r) => r.policy_version === 2)).toBe(true);
    expect(await verifyLedger(t.store.db, w.org.id)).toMatchObject({ ok: true, breaks: [] });
  });
});
