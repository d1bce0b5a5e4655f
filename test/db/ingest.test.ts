// Ingest: the first link of an item's history. Only approved accounts of the caller's own
// organisation receive items; receivedAt may lie in the past but barely in the future; a
// retried ingest is answered with the item it created.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../db/accounts/accounts.ts';
import { ingestItem, type NewItem } from '../../db/items/items.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { policyOf, type Organisation } from '../../db/organisations.ts';
import { contents } from '../../db/schema.ts';
import { admin, activeAccount, completeAccount, integrator, organisation, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe('ingesting items', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  const count = async (statement: string) => Number((await t.store.client.execute(statement)).rows[0]?.n);
  const itemCount = () => count('select count(*) as n from items');
  const eventCount = () => count('select count(*) as n from ledger_events');

  const comment = (accountId: string, overrides: Partial<NewItem> = {}): NewItem => ({
    accountId, externalId: 'fb-1001', kind: 'comment', direction: 'inbound',
    author: { handle: 'resident', name: 'A Resident' }, text: 'Is the pool open?', ...overrides,
  });
  const ingest = (org: Organisation, item: NewItem, now = t0) =>
    ingestItem(t.store, { orgId: org.id, actor: integrator, item, now });

  async function tibroWithAccount() {
    const org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    return { org, accountId: account.id };
  }

  it.each([
    ['tibro', 'TI-1'],
    ['avesta', 'AV-1'],
    ['lillesand', 'LI-5'],
    ['uppsala', 'UP-6'],
  ])('refuses items on a proposed, not yet approved account under %s (%s)', async (preset, rule) => {
    const org = await organisation(t.store, preset);
    const proposed = await createAccount(t.store, { orgId: org.id, policy: policyOf(org), actor: admin, now: t0, account: completeAccount });
    expect(proposed.status).toBe('proposed');
    const before = await eventCount();
    const result = await ingest(org, comment(proposed.id));
    expect(result).toMatchObject({ ok: false, code: 'refused', rule });
    expect(await itemCount()).toBe(0);
    expect(await eventCount()).toBe(before);
    expect(await count('select count(*) as n from contents')).toBe(0);
  });

  it('answers another organisation\'s account with not_found', async () => {
    const { org: tibro } = await tibroWithAccount();
    const avesta = await organisation(t.store, 'avesta');
    const avestaAccount = await activeAccount(t.store, avesta);
    expect(await ingest(tibro, comment(avestaAccount.id))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ingest(tibro, comment('00000000-0000-7000-8000-000000000000'))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await itemCount()).toBe(0);
  });

  it('answers a receivedAt ten minutes in the future with invalid, writing nothing', async () => {
    const { org, accountId } = await tibroWithAccount();
    const before = await eventCount();
    const result = await ingest(org, comment(accountId, { receivedAt: minutes(10).toISOString() }));
    expect(result).toMatchObject({ ok: false, code: 'invalid', errors: [{ path: 'receivedAt' }] });
    expect(await itemCount()).toBe(0);
    expect(await eventCount()).toBe(before);
  });

  it('accepts a receivedAt four minutes ahead (clock skew), and exactly five', async () => {
    const { org, accountId } = await tibroWithAccount();
    const ahead = await ingest(org, comment(accountId, { receivedAt: minutes(4).toISOString() }));
    expect(ahead).toMatchObject({ ok: true, created: true, item: { receivedAt: minutes(4).toISOString() } });
    const edge = await ingest(org, comment(accountId, { externalId: 'fb-1002', receivedAt: minutes(5).toISOString() }));
    expect(edge).toMatchObject({ ok: true, created: true });
    const beyond = await ingest(org, comment(accountId, { externalId: 'fb-1003', receivedAt: new Date(minutes(5).getTime() + 1).toISOString() }));
    expect(beyond).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('stores a receivedAt given with an offset as the same instant in UTC', async () => {
    const { org, accountId } = await tibroWithAccount();
    const result = await ingest(org, comment(accountId, { receivedAt: '2026-11-20T14:30:00+01:00' }));
    expect(result).toMatchObject({ ok: true, item: { receivedAt: '2026-11-20T13:30:00.000Z' } });
  });

  it('backfills an item received in the past, counting its assessment deadline from receipt (TI-2)', async () => {
    const { org, accountId } = await tibroWithAccount();
    // Received Thursday 19 November, 10:00 local: assess by the end of Friday.
    const result = await ingest(org, comment(accountId, { receivedAt: '2026-11-19T09:00:00Z' }));
    expect(result).toMatchObject({ ok: true, item: { deadlines: [{ kind: 'assess', dueAt: '2026-11-20T23:00:00.000Z', status: 'open' }] } });
    // The RECEIVED link is stamped when Diarium learnt of it; receivedAt travels in the payload.
    if (!result.ok) throw new Error(result.detail);
    const [received] = await subjectHistory(t.store.db, org.id, result.item.id);
    expect(received).toMatchObject({ at: t0.toISOString(), payload: { receivedAt: '2026-11-19T09:00:00.000Z' } });
  });

  it('answers the same accountId and externalId again with the same item and no new event', async () => {
    const { org, accountId } = await tibroWithAccount();
    const first = await ingest(org, comment(accountId));
    const before = await eventCount();
    const again = await ingest(org, comment(accountId, { text: 'Edited on the platform' }), minutes(3));
    expect(first).toMatchObject({ ok: true, created: true });
    expect(again).toMatchObject({ ok: true, created: false });
    if (!first.ok || !again.ok) throw new Error('unreachable');
    expect(again.item).toEqual(first.item);
    expect(await eventCount()).toBe(before);
    expect(await itemCount()).toBe(1);
    expect((await subjectHistory(t.store.db, org.id, first.item.id)).map((e) => e.type)).toEqual(['RECEIVED']);
  });

  it('treats the same externalId on another account as another item', async () => {
    const { org, accountId } = await tibroWithAccount();
    const second = await activeAccount(t.store, org, { handle: 'tibro-youth' });
    const a = await ingest(org, comment(accountId));
    const b = await ingest(org, comment(second.id));
    expect(a).toMatchObject({ ok: true, created: true });
    expect(b).toMatchObject({ ok: true, created: true });
    if (!a.ok || !b.ok) throw new Error('unreachable');
    expect(a.item.id).not.toBe(b.item.id);
  });

  it('puts text and author in the content store and only their hash in the RECEIVED link', async () => {
    const { org, accountId } = await tibroWithAccount();
    const result = await ingest(org, comment(accountId, { url: 'https://facebook.com/p/1', language: 'sv', inReplyTo: 'fb-900' }));
    if (!result.ok) throw new Error(result.detail);
    expect(result.item).toMatchObject({
      version: 1, status: 'received', content: { text: 'Is the pool open?', author: { handle: 'resident', name: 'A Resident' }, url: 'https://facebook.com/p/1' },
    });
    const [received] = await subjectHistory(t.store.db, org.id, result.item.id);
    expect(received).toMatchObject({
      seq: 1, type: 'RECEIVED', from: null, actor: { role: 'integrator' },
      payload: { accountId, externalId: 'fb-1001', contentSha256: result.item.contentSha256, language: 'sv', inReplyTo: 'fb-900' },
    });
    expect(JSON.stringify(received)).not.toContain('Is the pool open');
    expect(JSON.stringify(received)).not.toContain('A Resident');
    const [row] = await t.store.db.select().from(contents).where(eq(contents.hash, result.item.contentSha256));
    expect(row).toMatchObject({ role: 'content', itemId: result.item.id, body: { text: 'Is the pool open?', author: { handle: 'resident', name: 'A Resident' } } });
  });

  it('gives an outbound post no assessment deadline', async () => {
    const { org, accountId } = await tibroWithAccount();
    const result = await ingest(org, comment(accountId, { kind: 'post', direction: 'outbound' }));
    expect(result).toMatchObject({ ok: true, item: { deadlines: [], status: 'received' } });
  });
});
