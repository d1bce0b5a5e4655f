// Today after the deadline sweep: every deadline past due and not met shows, breached or still
// open, and the count of overdue items is the count GET /v1/items?overdue=true lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineSweep } from '../../schedules/deadline-sweep.ts';
import { activeAccountOverHttp, call, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const answerQuestion = { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' };

async function overdueFromApi(w: HttpWorld): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(w.app, 'GET', `/v1/items?overdue=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: w.keys.officer.key });
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.items.map((item: { id: string }) => item.id));
    cursor = res.json.nextCursor;
  } while (cursor);
  return ids.sort();
}

async function todayOverdue(w: HttpWorld) {
  const html = (await getPage(w.app, await signIn(w.app, w.keys.officer.key), '/')).html;
  const section = html.slice(html.indexOf('id="overdue"'), html.indexOf('id="soon"'));
  return {
    section,
    count: Number(/data-count="overdue-items">(\d+)</.exec(section)?.[1]),
    items: [...new Set([...section.matchAll(/href="\/items\/([^"?]+)"/g)].map((m) => m[1]!))].sort(),
    breached: [...section.matchAll(/data-status="breached"/g)].length,
  };
}

describe('Today after a sweep (issue 16)', () => {
  let t: TempDb;
  let w: HttpWorld;
  let ids: Record<'unassessed' | 'unanswered' | 'answered' | 'late', string>;

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    const accountId = await activeAccountOverHttp(w);
    // Monday 23 November 10:00 Stockholm: assessment is due by end of Tuesday, the answer 48 weekday hours on.
    const unassessed = (await ingest(w, accountId)).id;
    const unanswered = (await ingest(w, accountId)).id;
    await step(w, 'officer', unanswered, answerQuestion);
    const answered = (await ingest(w, accountId)).id;
    await step(w, 'officer', answered, answerQuestion);
    await step(w, 'officer', answered, { type: 'ANSWER', text: 'It opens at nine.' });
    w.clock.now = new Date('2026-11-26T12:00:00Z');
    await deadlineSweep.run({ store: t.store, clock: () => w.clock.now }, w.clock.now);
    // Received Thursday, not swept: its assessment falls overdue on Saturday and stays open.
    const late = (await ingest(w, accountId)).id;
    ids = { unassessed, unanswered, answered, late };
  });
  afterAll(() => t.cleanup());

  it('shows the deadlines the sweep breached, with the API\'s count of overdue items', async () => {
    const page = await todayOverdue(w);
    const api = await overdueFromApi(w);
    expect(api).toEqual([ids.unassessed, ids.unanswered].sort());
    expect(page.count).toBe(api.length);
    expect(page.items).toEqual(api);
    expect(page.breached).toBe(2);
    expect(page.section).not.toContain('Nothing is overdue.');
    expect(page.section).toContain('by end of Tuesday 24 November');
  });

  it('counts breached and still-open overdue deadlines alike, and never a met one', async () => {
    w.clock.now = new Date('2026-11-30T08:00:00Z');
    const page = await todayOverdue(w);
    const api = await overdueFromApi(w);
    expect(api).toEqual([ids.unassessed, ids.unanswered, ids.late].sort());
    expect(page.count).toBe(3);
    expect(page.items).toEqual(api);
    expect(page.breached).toBe(2);
    expect(page.section).toContain('data-status="open"');
    expect(page.items).not.toContain(ids.answered);
  });
});
