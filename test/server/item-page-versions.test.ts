// The item page speaks the item's own machine version: item@2's chart, forms and decisions for an
// item@2 item (REFER, the outbound checks, AV-12's proposed registration), item@1's for an item@1 one.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyOf } from '../../db/organisations.ts';
import { items } from '../../db/schema.ts';
import { itemMachine } from '../../machines/item.v1.machine.ts';
import { itemV2Machine } from '../../machines/item.v2.machine.ts';
import { machineVersions, type ItemMachineVersion } from '../../machines/registry.ts';
import { chartOf } from '../../server/pages/statechart.ts';
import { activeAccountOverHttp, call, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, postForm, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const formsOn = (html: string) => [...html.matchAll(/data-event="([A-Z_]+)"/g)].map((m) => m[1]);
const statesOn = (html: string) => [...html.matchAll(/data-state="([a-z_.]+)"/g)].map((m) => m[1]);
const currentStates = (html: string) => [...html.matchAll(/data-state="([a-z_.]+)" data-current="true"/g)].map((m) => m[1]);
/** The one form of an event on a page, as HTML. */
const formOf = (html: string, type: string) =>
  [...html.matchAll(/<form[^>]*data-event="([A-Z_]+)"[\s\S]*?<\/form>/g)].find((m) => m[1] === type)?.[0] ?? '';
/** The chart section only (the replay section draws a chart of its own). */
const chartSection = (html: string) => html.slice(html.indexOf('id="statechart"'), html.indexOf('id="actions"'));

describe('the item page of each machine version', () => {
  let t: TempDb;
  let tibro: HttpWorld;
  let avesta: HttpWorld;
  let tibroAccount: string;
  let avestaAccount: string;
  let officer: Session;

  beforeAll(async () => {
    t = await tempDb();
    tibro = await httpWorld(t, 'tibro');
    avesta = await httpWorld(t, 'avesta', 'avesta');
    tibroAccount = await activeAccountOverHttp(tibro);
    avestaAccount = await activeAccountOverHttp(avesta);
    officer = await signIn(tibro.app, tibro.keys.officer.key);
  });
  afterAll(() => t.cleanup());

  it('draws item@2\'s chart for an item@2 item, with referred, hidden and reported, and the current states highlighted', async () => {
    const item = await ingest(tibro, tibroAccount);
    expect(item.machine).toBe('item@2');
    const chart = chartSection((await getPage(tibro.app, officer, `/items/${item.id}`)).html);
    expect(statesOn(chart)).toEqual((await chartOf(itemV2Machine)).regions.flatMap((r) => r.states.map((s) => s.path)));
    expect(statesOn(chart)).toEqual(expect.arrayContaining(['handling.referred', 'handling.hidden', 'handling.reported']));
    expect(currentStates(chart).sort()).toEqual(['handling.received', 'records.open']);
    expect(chart).toContain('item@2 (parallel)');
    expect(chart).toContain('REFER');
  });

  it('refers through the REFER form: the item is answered and the timeline shows REFER (TI-6)', async () => {
    const item = await ingest(tibro, tibroAccount);
    await step(tibro, 'officer', item.id, { type: 'ASSESS', decision: 'forward', categories: ['question'], registration: 'not_required' });
    const before = await getPage(tibro.app, officer, `/items/${item.id}`);
    expect(formsOn(before.html)).toContain('REFER');
    expect(formOf(before.html, 'REFER')).toContain('name="to"');
    const posted = await postForm(tibro.app, officer, `/items/${item.id}/events`, [['type', 'REFER'], ['version', '2'], ['to', 'Skatteverket']]);
    expect(posted.status, posted.html).toBe(303);
    const api = await call(tibro.app, 'GET', `/v1/items/${item.id}`, { key: tibro.keys.officer.key });
    expect(api.json).toMatchObject({ status: 'answered', state: { handling: 'referred' } });
    const after = (await getPage(tibro.app, officer, `/items/${item.id}`)).html;
    expect(currentStates(chartSection(after))).toContain('handling.referred');
    const timeline = after.slice(after.indexOf('id="timeline"'), after.indexOf('id="replay"'));
    expect(timeline).toContain('data-type="REFER"');
    expect(timeline).toContain('referred it to Skatteverket');
    expect(timeline).toContain('Skatteverket');
  });

  it('offers item@2\'s decisions in ASSESS, hide and report among them', async () => {
    const item = await ingest(tibro, tibroAccount);
    const assess = formOf((await getPage(tibro.app, officer, `/items/${item.id}`)).html, 'ASSESS');
    for (const decision of ['answer', 'forward', 'unpublish', 'no_action', 'hide', 'report']) expect(assess).toContain(`value="${decision}"`);
    expect(assess).not.toContain('name="checks.');
  });

  it('gives an own post\'s ASSESS the outbound checks, and posts them as checks (TI-15)', async () => {
    const item = await ingest(tibro, tibroAccount, { direction: 'outbound', kind: 'post', text: 'Our new pool opens today' });
    const assess = formOf((await getPage(tibro.app, officer, `/items/${item.id}`)).html, 'ASSESS');
    for (const flag of ['personalIdentityNumbers', 'offenceData', 'sensitiveData', 'linkToSite', 'imagesOfPeople', 'clientRelationship']) {
      expect(assess).toMatch(new RegExp(`type="checkbox" name="checks\\.${flag}"`));
    }
    for (const text of ['consentRef', 'language', 'languageCover.name']) expect(assess).toMatch(new RegExp(`type="text" name="checks\\.${text}"`));
    expect(assess).toMatch(/type="date" name="checks\.languageCover\.until"/);
    const fields: Array<[string, string]> = [
      ['type', 'ASSESS'], ['version', '1'], ['decision', 'no_action'], ['registration', 'not_required'],
      ['checks.imagesOfPeople', 'true'], ['checks.linkToSite', 'true'], ['checks.language', 'sv'],
    ];
    const refused = await postForm(tibro.app, officer, `/items/${item.id}/events`, fields);
    expect(refused.status).toBe(409); // images of people without a consent reference
    expect(refused.html).toContain('TI-15');
    const posted = await postForm(tibro.app, officer, `/items/${item.id}/events`, [...fields, ['checks.consentRef', 'consent-2026-17']]);
    expect(posted.status, posted.html).toBe(303);
    const history = await call(tibro.app, 'GET', `/v1/items/${item.id}/history`, { key: tibro.keys.auditor.key });
    expect(history.json.events.at(-1).payload.checks).toEqual({
      personalIdentityNumbers: false, offenceData: false, sensitiveData: false, consentRef: 'consent-2026-17',
      linkToSite: true, imagesOfPeople: true, clientRelationship: false, language: 'sv',
    });
  });

  it('corrects an own post through the CORRECT form, its note optional (TI-7)', async () => {
    const item = await ingest(tibro, tibroAccount, { direction: 'outbound', kind: 'post', text: 'The pool opens at 8' });
    const correct = formOf((await getPage(tibro.app, officer, `/items/${item.id}`)).html, 'CORRECT');
    expect(correct).toContain('name="text"');
    expect(correct).toMatch(/Note on the correction \(optional\)/);
    const posted = await postForm(tibro.app, officer, `/items/${item.id}/events`, [
      ['type', 'CORRECT'], ['version', '1'], ['text', 'The pool opens at 9'], ['note', ''],
    ]);
    expect(posted.status, posted.html).toBe(303);
    const history = await call(tibro.app, 'GET', `/v1/items/${item.id}/history`, { key: tibro.keys.auditor.key });
    expect(history.json.events.at(-1).type).toBe('CORRECT');
  });

  it('sends the evidence to the registrar through the SEND_TO_REGISTRAR form (UP-4)', async () => {
    const item = await ingest(tibro, tibroAccount, { text: 'Something defamatory' });
    await step(tibro, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['defamation'], registration: 'required' });
    await step(tibro, 'officer', item.id, { type: 'CAPTURE_EVIDENCE' });
    const form = formOf((await getPage(tibro.app, officer, `/items/${item.id}`)).html, 'SEND_TO_REGISTRAR');
    expect(form).toContain('name="reason"');
    const posted = await postForm(tibro.app, officer, `/items/${item.id}/events`, [
      ['type', 'SEND_TO_REGISTRAR'], ['version', '3'], ['reason', 'Defamation of a named resident'],
    ]);
    expect(posted.status, posted.html).toBe(303);
    const history = await call(tibro.app, 'GET', `/v1/items/${item.id}/history`, { key: tibro.keys.auditor.key });
    expect(history.json.events.at(-1)).toMatchObject({ type: 'SEND_TO_REGISTRAR', payload: { reason: 'Defamation of a named resident' } });
  });

  it('starts ASSESS of an avesta direct message at the registration the policy proposes (AV-12)', async () => {
    const item = await ingest(avesta, avestaAccount, { kind: 'direct_message' });
    expect(item.proposedRegistration).toBe('required');
    const session = await signIn(avesta.app, avesta.keys.officer.key);
    const assess = formOf((await getPage(avesta.app, session, `/items/${item.id}`)).html, 'ASSESS');
    expect(assess).toMatch(/<option value="required" selected="">required<\/option>/);
    expect(assess).not.toMatch(/<option value="not_required" selected/);
    expect(assess).toContain('proposed by the policy (AV-12)');
    const comment = await ingest(avesta, avestaAccount, { kind: 'comment' });
    expect(formOf((await getPage(avesta.app, session, `/items/${comment.id}`)).html, 'ASSESS')).not.toContain('AV-12');
  });

  it('draws item@1\'s chart and offers item@1\'s events and decisions for an item still stepping under item@1', async () => {
    const item = await ingest(tibro, tibroAccount);
    // An item received before item@2: its row started under item@1 (the ledger's RECEIVED still names item@2 here).
    const v1 = machineVersions['item@1'] as ItemMachineVersion;
    const started = v1.start(v1.inputOf({ kind: 'comment', direction: 'inbound', platform: 'facebook' }, policyOf(tibro.org)));
    await t.store.db.update(items).set({ machine: 'item@1', state: started.value, context: started.context, status: v1.status(started) })
      .where(eq(items.id, item.id));
    const html = (await getPage(tibro.app, officer, `/items/${item.id}`)).html;
    const chart = chartSection(html);
    expect(chart).toContain('item@1 (parallel)');
    expect(statesOn(chart)).toEqual((await chartOf(itemMachine)).regions.flatMap((r) => r.states.map((s) => s.path)));
    expect(statesOn(chart)).not.toContain('handling.referred');
    expect(chart).not.toContain('REFER');
    const assess = formOf(html, 'ASSESS');
    expect(assess).toContain('value="unpublish"');
    expect(assess).not.toContain('value="hide"');
    // item@1's schemas judge the form: REFER is not an event of item@1.
    const refer = await postForm(tibro.app, officer, `/items/${item.id}/events`, [['type', 'REFER'], ['version', '1'], ['to', 'Skatteverket']]);
    expect(refer.status).toBe(400);
    const hide = await postForm(tibro.app, officer, `/items/${item.id}/events`, [
      ['type', 'ASSESS'], ['version', '1'], ['decision', 'hide'], ['registration', 'not_required'],
    ]);
    expect(hide.status).toBe(400);
    expect(hide.html).toMatch(/<code>decision<\/code>/);
  });
});
