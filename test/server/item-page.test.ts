// The item page over HTTP in process: sign in with a key for a session cookie, then read the page,
// act through its forms, see refusals with their rule text, and replay as of an earlier instant.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRulesMarkdown } from '../../server/pages/item-rules-md.ts';
import { rulesText } from '../../server/pages/rules-text.ts';
import { itemV2Machine } from '../../machines/item.v2.machine.ts';
import { chartOf } from '../../server/pages/statechart.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, postForm as postPageForm, signIn, type Session } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';
import type { Role } from '../../machines/item.events.ts';

const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

const signInAs = (w: HttpWorld, role: Role) => signIn(w.app, w.keys[role].key);

async function page(w: HttpWorld, s: Session, path: string) {
  const result = await getPage(w.app, s, path);
  return { ...result, text: result.html };
}

async function postForm(w: HttpWorld, s: Session, path: string, fields: Array<[string, string]>, csrf: string | null = s.csrf) {
  const result = await postPageForm(w.app, s, path, fields, csrf);
  return { ...result, text: result.html };
}

const formsOn = (html: string) => [...html.matchAll(/data-event="([A-Z_]+)"/g)].map((m) => m[1]);
const currentStates = (html: string) => [...html.matchAll(/data-state="([a-z_.]+)" data-current="true"/g)].map((m) => m[1]);

async function apiItem(w: HttpWorld, id: string) {
  const res = await call(w.app, 'GET', `/v1/items/${id}`, { key: w.keys.officer.key });
  expect(res.status).toBe(200);
  return res.json;
}

describe('the item page under tibro', () => {
  let t: TempDb;
  let w: HttpWorld;
  let other: HttpWorld;
  let accountId: string;
  let officer: Session;
  let auditor: Session;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    other = await httpWorld(t, 'avesta', 'avesta');
    accountId = await activeAccountOverHttp(w);
    officer = await signInAs(w, 'officer');
    auditor = await signInAs(w, 'auditor');
  });
  afterAll(() => t.cleanup());

  it('shows the content and the statechart drawn from the machine, with the current states highlighted', async () => {
    const item = await ingest(w, accountId, { text: 'When does the pool open?', author: { handle: 'swimmer', name: 'Sam Swimmer' } });
    const res = await page(w, officer, `/items/${item.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('When does the pool open?');
    expect(res.text).toContain('Sam Swimmer (@swimmer)');
    expect(res.text).toContain('<svg');
    // Every state of both regions is drawn, and exactly the two current ones are highlighted.
    for (const region of (await chartOf(itemV2Machine)).regions) for (const state of region.states) expect(res.text).toContain(`data-state="${state.path}"`);
    expect(currentStates(res.text).sort()).toEqual(['handling.received', 'records.open']);
    expect(res.text).toMatch(/class="state current"[^>]*fill="#ffd54f"/);
    // Transitions carry their event names.
    expect(res.text).toContain('UNPUBLISH');
    expect(res.text).toContain('REGISTER');
    // Deadlines in the org's local time (Europe/Stockholm) and the timeline's first link.
    expect(res.text).toContain('2026-11-25 00:00');
    expect(res.text).toContain('RECEIVED');
    expect(res.text).toMatch(/<summary>#1 RECEIVED · hash [0-9a-f]{10}…<\/summary>/);
    expect(res.text).toMatch(/<dt>Hash<\/dt><dd><code>[0-9a-f]{64}<\/code>/);
    expect(res.text).toContain('Verified: replay');
  });

  it('shows a 404 page for an unknown id and for another organisation\'s item', async () => {
    expect((await page(w, officer, '/items/nope')).status).toBe(404);
    const otherAccount = await activeAccountOverHttp(other);
    const foreign = await ingest(other, otherAccount);
    const res = await page(w, officer, `/items/${foreign.id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(foreign.id);
    const posted = await postForm(w, officer, `/items/${foreign.id}/events`, [['type', 'CAPTURE_EVIDENCE'], ['version', '1']]);
    expect(posted.status).toBe(404);
    expect((await call(other.app, 'GET', `/v1/items/${foreign.id}`, { key: other.keys.officer.key })).json.version).toBe(1);
  });

  it('shows only the forms the role may send: the officer sees ASSESS, the auditor does not', async () => {
    const item = await ingest(w, accountId);
    const asOfficer = formsOn((await page(w, officer, `/items/${item.id}`)).text);
    expect(asOfficer).toContain('ASSESS');
    expect(asOfficer).not.toContain('REGISTER');
    expect(asOfficer).not.toContain('DEADLINE_BREACHED');
    const asAuditor = formsOn((await page(w, auditor, `/items/${item.id}`)).text);
    expect(asAuditor).not.toContain('ASSESS');
    expect(asAuditor).toEqual(['HOLD']);
    const registrar = await signInAs(w, 'registrar');
    expect(formsOn((await page(w, registrar, `/items/${item.id}`)).text)).toEqual(expect.arrayContaining(['REGISTER', 'HOLD']));
  });

  it('assesses through the form: 303 back to the item, and the API sees the change', async () => {
    const item = await ingest(w, accountId);
    const html = (await page(w, officer, `/items/${item.id}`)).text;
    expect(html).toContain('value="question"'); // categoriesOf(policy) as checkboxes
    const res = await postForm(w, officer, `/items/${item.id}/events`, [
      ['type', 'ASSESS'], ['version', '1'], ['decision', 'answer'], ['categories', 'question'], ['categories', 'praise'],
      ['registration', 'not_required'], ['note', ''],
    ]);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe(`/items/${item.id}`);
    const after = await apiItem(w, item.id);
    expect(after).toMatchObject({ version: 2, state: { handling: 'assessed' }, assessment: { decision: 'answer', categories: ['question', 'praise'] } });
    const shown = await page(w, officer, `/items/${item.id}`);
    expect(currentStates(shown.text)).toContain('handling.assessed');
    expect(formsOn(shown.text)).toContain('ANSWER');
    // A stale version (If-Match) is refused and changes nothing.
    const stale = await postForm(w, officer, `/items/${item.id}/events`, [['type', 'ANSWER'], ['version', '1'], ['text', 'Open 9–17.']]);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('version 2');
    expect((await apiItem(w, item.id)).version).toBe(2);
  });

  it('shows the zod issues of an invalid form with 400 and changes nothing', async () => {
    const item = await ingest(w, accountId);
    const res = await postForm(w, officer, `/items/${item.id}/events`, [
      ['type', 'ASSESS'], ['version', '1'], ['decision', 'maybe'], ['registration', 'not_required'],
    ]);
    expect(res.status).toBe(400);
    expect(res.text).toContain('The form has errors');
    expect(res.text).toMatch(/<code>decision<\/code>: [^<]*(Invalid|expected)/i);
    expect((await apiItem(w, item.id)).version).toBe(1);
    const unknown = await postForm(w, officer, `/items/${item.id}/events`, [['type', 'DELETE'], ['version', '1']]);
    expect(unknown.status).toBe(400);
  });

  it('shows a refused step with 409, its rule id and the rule\'s text from RULES.md (TI-14)', async () => {
    const item = await ingest(w, accountId, { text: 'Something criminal' });
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['defamation'], registration: 'required' });
    const before = await apiItem(w, item.id);
    const shown = await page(w, officer, `/items/${item.id}`);
    expect(shown.text).toContain('id="guarded"'); // the guarded step is offered apart, with its rule
    const res = await postForm(w, officer, `/items/${item.id}/events`, [
      ['type', 'UNPUBLISH'], ['version', String(before.version)], ['reason', 'Defamation'], ['categories', 'defamation'],
    ]);
    expect(res.status).toBe(409);
    expect(res.text).toContain('TI-14');
    expect(res.text).toContain(rulesText['TI-14']!.slice(0, 60));
    const after = await apiItem(w, item.id);
    expect(after.version).toBe(before.version);
    expect(after.state).toEqual(before.state);
  });

  it('refuses a form without the CSRF token or with a wrong one with 403 and changes nothing', async () => {
    const item = await ingest(w, accountId);
    const fields: Array<[string, string]> = [['type', 'ASSESS'], ['version', '1'], ['decision', 'no_action'], ['registration', 'not_required']];
    expect((await postForm(w, officer, `/items/${item.id}/events`, fields, null)).status).toBe(403);
    expect((await postForm(w, officer, `/items/${item.id}/events`, fields, 'x'.repeat(officer.csrf.length))).status).toBe(403);
    expect((await postForm(w, officer, `/items/${item.id}/events`, fields, auditor.csrf)).status).toBe(403);
    expect((await apiItem(w, item.id)).version).toBe(1);
  });

  it('replays as of an earlier instant and shows the earlier state', async () => {
    w.clock.now = minutes(10);
    const item = await ingest(w, accountId);
    w.clock.now = minutes(20);
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    w.clock.now = minutes(30);
    await step(w, 'officer', item.id, { type: 'ANSWER', text: 'We open at nine.' });
    const now = await page(w, officer, `/items/${item.id}`);
    expect(currentStates(now.text)).toContain('handling.answered');

    const earlier = await page(w, auditor, `/items/${item.id}?asOf=${encodeURIComponent(minutes(25).toISOString())}`);
    expect(earlier.status).toBe(200);
    const replay = earlier.text.slice(earlier.text.indexOf('id="replay-result"'));
    expect(replay).toContain('after 2 events');
    expect(replay).toContain('&quot;handling&quot;:&quot;assessed&quot;');
    expect(currentStates(replay)).toContain('handling.assessed');
    expect(earlier.text).toContain('Verified: replay of 3 events');

    // The slider: through event 1 only; and a datetime-local read in Europe/Stockholm (UTC+1 in November).
    const first = await page(w, auditor, `/items/${item.id}?seq=1`);
    expect(currentStates(first.text.slice(first.text.indexOf('id="replay-result"')))).toContain('handling.received');
    const local = await page(w, auditor, `/items/${item.id}?asOf=2026-11-23T10:25`);
    expect(local.text).toContain('after 2 events');
    const bad = await page(w, auditor, `/items/${item.id}?asOf=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('is not an ISO 8601 instant');
    w.clock.now = t0;
  });

  it('escapes stored markup in the item text', async () => {
    const item = await ingest(w, accountId, { text: '<script>alert("x")</script><img src=x onerror=alert(1)>' });
    const res = await page(w, officer, `/items/${item.id}`);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('asks for sign-in without a session', async () => {
    const res = await w.app.request('/items/anything');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
  });
});

describe('rules-text.ts', () => {
  const projectCopy = fileURLToPath(new URL('../../docs/RULES.md', import.meta.url));
  const outsideCopy = fileURLToPath(new URL('../../../shared/RULES.md', import.meta.url));

  it('has the text of every rule id the product cites', () => {
    expect(Object.keys(rulesText).length).toBeGreaterThanOrEqual(50);
    expect(rulesText['TI-14']).toMatch(/removed promptly/);
  });

  it('matches docs/RULES.md, the project\'s rulebook (regenerate with npx tsx scripts/gen-rules-text.ts)', () => {
    expect(rulesText).toEqual(parseRulesMarkdown(readFileSync(projectCopy, 'utf8')));
  });

  // A clone on its own has no ../shared; where the guideline restatement sits beside it, the
  // project's copy is that text word for word below its first line (and a blank one).
  it('keeps docs/RULES.md in step with ../shared/RULES.md where that exists, and holds every rule id either way', () => {
    const [first, blank, ...rest] = readFileSync(projectCopy, 'utf8').split('\n');
    expect(first).toMatch(/kept in step/);
    expect(blank).toBe('');
    if (existsSync(outsideCopy)) {
      expect(rest.join('\n')).toBe(readFileSync(outsideCopy, 'utf8'));
    } else {
      expect(Object.keys(parseRulesMarkdown(rest.join('\n')))).toEqual(expect.arrayContaining(Object.keys(rulesText)));
    }
  });
});
