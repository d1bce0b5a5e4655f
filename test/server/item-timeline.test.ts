// The item page's timeline in words (issue 16): "Officer (key …) assessed: answer, question;
// registration required", the instant in the organisation's local time, the state change in
// words, the hash and raw payload behind a disclosure, RECEIVED's policy summarised; deadlines
// said as people say them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionText, actorLabel, shownPayload, stateChangeText } from '../../server/pages/event-words.ts';
import { deadlineText, localMoment } from '../../server/pages/format.ts';
import { activeAccountOverHttp, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const stockholm = { timeZone: 'Europe/Stockholm' } as const;

describe('events in words', () => {
  it.each([
    ['ASSESS', { decision: 'answer', categories: ['question'], registration: 'required' }, 'assessed: answer, question; registration required'],
    ['ASSESS', { decision: 'no_action', categories: ['off_topic', 'praise'], registration: 'not_required' }, 'assessed: no action, off topic, praise; registration not required'],
    ['REFER', { to: 'Skatteverket' }, 'referred it to Skatteverket'],
    ['REGISTER', { number: 'KS 2026/14', caseRef: 'KS 2026/1' }, 'registered it as KS 2026/14 in case KS 2026/1'],
    ['DEADLINE_BREACHED', { kind: 'answer' }, 'recorded the answer deadline as breached'],
    ['THIN', { rule: 'TI-13', reason: 'Of minor value' }, 'thinned it under TI-13: Of minor value'],
  ])('says %s %j as "%s"', (type, payload, said) => {
    expect(actionText(type, payload)).toBe(said);
  });

  it('names the actor by role and key, and the system as such', () => {
    expect(actorLabel({ role: 'officer', keyId: '01a2b3c4d5e6' })).toBe('Officer (key 01a2b3c4…)');
    expect(actorLabel({ role: 'system', keyId: null })).toBe('The system');
  });

  it('says a state change region by region', () => {
    expect(stateChangeText(null, { handling: 'received', records: 'open' })).toBe('starts in handling received, records open');
    expect(stateChangeText({ handling: 'received', records: 'open' }, { handling: 'assessed', records: 'open' })).toBe('handling: received → assessed');
    expect(stateChangeText({ handling: 'answered', records: 'open' }, { handling: 'answered', records: 'open' })).toBe('no change of state');
  });

  it('summarises the rules RECEIVED froze instead of showing the whole policy', () => {
    const shown = shownPayload('RECEIVED', { input: { kind: 'comment', rules: { categories: ['a'], windows: {} } } });
    expect(shown).toEqual({ input: { kind: 'comment', rules: expect.stringMatching(/^\(the policy's rules frozen at receipt: 2 settings/) } });
    expect(shownPayload('ASSESS', { decision: 'answer' })).toEqual({ decision: 'answer' });
  });

  it('says instants and deadlines in the organisation\'s local time', () => {
    expect(localMoment('2026-11-23T09:00:00Z', stockholm)).toBe('Monday 23 November 2026, 10:00 CET');
    // Midnight is the end of the day before.
    expect(deadlineText('2026-11-30T23:00:00Z', stockholm, new Date('2026-11-23T09:00:00Z'))).toBe('by end of Monday 30 November');
    expect(deadlineText('2026-11-25T09:00:00Z', stockholm, new Date('2026-11-23T09:00:00Z'))).toBe('by Wednesday 25 November, 10:00');
    expect(deadlineText('2027-01-04T23:00:00Z', stockholm, new Date('2026-11-23T09:00:00Z'))).toBe('by end of Monday 4 January 2027');
  });
});

describe('the item page\'s timeline', () => {
  let t: TempDb;
  let w: HttpWorld;
  let html: string;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    const accountId = await activeAccountOverHttp(w);
    const item = await ingest(w, accountId);
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
    html = (await getPage(w.app, await signIn(w.app, w.keys.officer.key), `/items/${item.id}`)).html;
  });
  afterAll(() => t.cleanup());

  it('tells each event as a sentence with its local instant and state change', () => {
    const timeline = html.slice(html.indexOf('id="timeline"'), html.indexOf('id="replay"'));
    expect(timeline).toContain(`<strong>Officer (key ${w.keys.officer.id.slice(0, 8)}…)</strong> assessed: answer, question; registration required`);
    expect(timeline).toContain('Monday 23 November 2026, 10:00 CET');
    expect(timeline).toContain('handling: received → assessed');
    expect(timeline).toContain('starts in handling received, records open');
  });

  it('keeps the hash and the payload behind a disclosure, without the whole policy', () => {
    const timeline = html.slice(html.indexOf('id="timeline"'), html.indexOf('id="replay"'));
    expect(timeline).toMatch(/<details class="raw"><summary>#2 ASSESS · hash [0-9a-f]{10}…<\/summary>/);
    expect(timeline).toContain('frozen at receipt');
    // The frozen rules hold the calendar (Europe/Stockholm): summarised, it does not appear.
    expect(timeline).not.toContain('Europe/Stockholm');
  });

  it('says the deadlines as people say them', () => {
    const deadlines = html.slice(html.indexOf('id="deadlines"'), html.indexOf('id="timeline"'));
    expect(deadlines).toContain('by end of Tuesday 24 November');
  });
});
