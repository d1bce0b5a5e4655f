// Items made by the release before item@2 (test/fixtures/release-item-v1.sql: a database of that
// release's schema, written by its own code) move to item@2: a dry run writes nothing and counts
// what a real run does; a real run records one MIGRATED {from, to} per item; every item still
// replays to its stored snapshot, the ledger verifies, and a migrated item steps on under item@2.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayItem } from '../../db/ledger/replay.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { findOrganisationBySlug } from '../../db/organisations.ts';
import { items, ledgerEvents } from '../../db/schema.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { migrateMachines, type MigrationReport } from '../../db/write/machine-migration.ts';
import { officer } from '../helpers/fixtures.ts';
import { releaseDatabase } from '../helpers/release-db.ts';
import { and, eq } from 'drizzle-orm';

const now = new Date('2026-12-03T12:00:00Z');

let t: Awaited<ReturnType<typeof releaseDatabase>>;

beforeEach(async () => {
  t = await releaseDatabase();
});
afterEach(() => t.cleanup());

const links = async () => (await t.store.db.select().from(ledgerEvents)).length;
const machines = async () => (await t.store.db.select({ machine: items.machine }).from(items)).map((row) => row.machine);

async function everyItemReplays() {
  for (const row of await t.store.db.select({ id: items.id, orgId: items.orgId }).from(items)) {
    const replay = await replayItem(t.store.db, row.orgId, row.id, now);
    expect(replay?.matchesStored, `${row.id}: ${replay?.problem ?? ''}`).toBe(true);
  }
}

describe('item@1 → item@2 on a database of the release before', () => {
  it('starts from 18 item@1 items that replay and verify', async () => {
    expect(await machines()).toEqual(Array(18).fill('item@1'));
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
    await everyItemReplays();
  });

  it('a dry run writes nothing and says what a real run then does', async () => {
    const before = await links();
    const dry = (await migrateMachines(t.store, { machine: 'item', to: 2, dryRun: true, now })) as MigrationReport;
    expect(dry).toMatchObject({ machine: 'item', to: 2, examined: 18, dryRun: true });
    expect(dry.migrated + dry.refused.length).toBe(18);
    expect(await links()).toBe(before);
    expect(await machines()).toEqual(Array(18).fill('item@1'));

    const real = (await migrateMachines(t.store, { machine: 'item', to: 2, dryRun: false, now, pageSize: 5 })) as MigrationReport;
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(await links()).toBe(before + real.migrated);
    expect(real.byState).toEqual({ received: 6, assessed: 3, answered: 3, forwarded: 3, registered: 3 });
  });

  it('records one MIGRATED {from, to} per item; replay matches, the ledger verifies, and a second run has nothing to do', async () => {
    const report = (await migrateMachines(t.store, { machine: 'item', to: 2, dryRun: false, now })) as MigrationReport;
    expect(report.refused).toEqual([]);
    expect(await machines()).toEqual(Array(18).fill('item@2'));
    const migrated = await t.store.db.select().from(ledgerEvents).where(eq(ledgerEvents.type, 'MIGRATED'));
    expect(migrated).toHaveLength(18);
    for (const link of migrated) {
      expect(link.machine).toBe('item@2');
      expect(link.actorRole).toBe('system');
      expect(link.payload).toMatchObject({ from: 'item@1', to: 'item@2' });
    }
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
    await everyItemReplays();
    const again = (await migrateMachines(t.store, { machine: 'item', to: 2, dryRun: false, now })) as MigrationReport;
    expect(again).toMatchObject({ examined: 0, migrated: 0, refused: [] });
  });

  it('lets a migrated item step on under item@2: REFER (TI-6) ends its handling', async () => {
    await migrateMachines(t.store, { machine: 'item', to: 2, dryRun: false, now });
    const tibro = (await findOrganisationBySlug(t.store.db, 'tibro'))!;
    const [row] = await t.store.db.select().from(items).where(and(eq(items.orgId, tibro.id), eq(items.externalId, 'tibro-received')));
    const step = (event: Parameters<typeof applyItemEvent>[1]['event'], minutes: number) =>
      applyItemEvent(t.store, { orgId: tibro.id, itemId: row!.id, actor: officer, event, ifMatch: null, idempotency: null, now: new Date(now.getTime() + minutes * 60_000) });
    expect((await step({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' }, 1)).ok).toBe(true);
    const referred = await step({ type: 'REFER', to: 'Skatteverket' }, 2);
    expect(referred.ok && referred.item).toMatchObject({ status: 'answered', machine: 'item@2' });
    expect((await replayItem(t.store.db, tibro.id, row!.id, new Date(now.getTime() + 3_600_000)))?.matchesStored).toBe(true);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('keeps an item not migrated on item@1: REFER is not allowed there, an item@2 decision is invalid', async () => {
    const tibro = (await findOrganisationBySlug(t.store.db, 'tibro'))!;
    const [row] = await t.store.db.select().from(items).where(and(eq(items.orgId, tibro.id), eq(items.externalId, 'tibro-received')));
    const send = (event: Parameters<typeof applyItemEvent>[1]['event']) =>
      applyItemEvent(t.store, { orgId: tibro.id, itemId: row!.id, actor: officer, event, ifMatch: null, idempotency: null, now });
    expect(await send({ type: 'ASSESS', decision: 'hide', categories: ['spam'], registration: 'not_required' })).toMatchObject({
      ok: false, code: 'invalid', errors: [expect.objectContaining({ path: 'decision' })],
    });
    expect((await send({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' })).ok).toBe(true);
    const refer = await send({ type: 'REFER', to: 'Skatteverket' });
    expect(refer).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(refer.ok === false && 'allowed' in refer && refer.allowed).toContain('ANSWER');
  });

  it('migrates one organisation only with orgId', async () => {
    const avesta = (await findOrganisationBySlug(t.store.db, 'avesta'))!;
    const report = (await migrateMachines(t.store, { machine: 'item', to: 2, orgId: avesta.id, dryRun: false, now })) as MigrationReport;
    expect(report.examined).toBe(6);
    expect((await machines()).filter((machine) => machine === 'item@2')).toHaveLength(6);
  });

  it('answers an unknown target version as a failure, writing nothing', async () => {
    expect(await migrateMachines(t.store, { machine: 'item', to: 9, dryRun: false, now })).toEqual({ ok: false, detail: 'no machine item@9' });
  });
});
