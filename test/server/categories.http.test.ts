// An unknown category in ASSESS or UNPUBLISH answers 400 naming it and listing the policy's
// categories, so a user need not guess them; nothing changes (AV-9, LI-3, TI-15, UP-3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyOf } from '../../db/organisations.ts';
import { categoriesOf } from '../../machines/policy/policy.schema.ts';
import { activeAccountOverHttp, expectProblem, httpWorld, ingest, send, step, versionOf, type HttpWorld } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('unknown categories', () => {
  let t: TempDb;
  let w: HttpWorld;
  let accountId: string;
  let known: string[];

  beforeAll(async () => {
    t = await tempDb();
    w = await httpWorld(t, 'tibro');
    accountId = await activeAccountOverHttp(w);
    known = categoriesOf(policyOf(w.org));
  });
  afterAll(() => t.cleanup());

  it('ASSESS: 400 naming the unknown one and listing every category of the policy', async () => {
    const item = await ingest(w, accountId);
    const problem = expectProblem(await send(w, 'officer', item.id, {
      type: 'ASSESS', decision: 'answer', categories: ['question', 'gossip'], registration: 'not_required',
    }), 400);
    expect(problem.detail).toContain('"gossip"');
    for (const category of known) expect(problem.detail).toContain(category);
    expect(problem.detail).toContain('hate_speech');
    expect(problem.errors).toEqual([{ path: 'categories.1', message: expect.stringContaining('"gossip" is not a category of the policy; one of question') }]);
    expect(await versionOf(w, item.id)).toBe(1);
  });

  it('UNPUBLISH: 400 with the policy\'s categories, and the item stays as it was', async () => {
    const item = await ingest(w, accountId);
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'unpublish', categories: ['hate_speech'], registration: 'required' });
    await step(w, 'officer', item.id, { type: 'CAPTURE_EVIDENCE' });
    const version = await versionOf(w, item.id);
    const problem = expectProblem(await send(w, 'officer', item.id, { type: 'UNPUBLISH', reason: 'Hate speech', categories: ['rudeness'] }), 400);
    expect(problem.detail).toContain('"rudeness"');
    expect(problem.detail).toContain(known.join(', '));
    expect(await versionOf(w, item.id)).toBe(version);
  });
});
