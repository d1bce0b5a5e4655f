// The two kinds of rows a machine step changes, as the write path reads and saves them. Items live
// in the write batch (prefetched, written as multi-row statements); accounts are few and written
// at once with a compare-and-set on their version.
import { and, eq } from 'drizzle-orm';
import type { MachineEvent, Subject } from '../../machines/registry.ts';
import type { Tx } from '../client.ts';
import type { ItemRow } from '../items/item-view.ts';
import { accounts } from '../schema.ts';
import type { WriteBatch } from './write-batch.ts';

export type AccountRow = typeof accounts.$inferSelect;

/** What every stepped row has: its machine, snapshot and version. */
export interface SteppedRow {
  id: string;
  orgId: string;
  machine: string;
  status: string;
  state: unknown;
  context: unknown;
  version: number;
  updatedAt: string;
}

export interface SubjectStore<R extends SteppedRow> {
  load(tx: Tx, batch: WriteBatch, orgId: string, id: string): Promise<R | null>;
  /** Saves `next`, which follows `before` by one version; throws when the row moved meanwhile. */
  save(tx: Tx, batch: WriteBatch, before: R, next: R): Promise<void>;
  insert(tx: Tx, batch: WriteBatch, row: R): Promise<void>;
  /** The system's events that fell due by `at` and are recorded before the next step. */
  dueEvents(batch: WriteBatch, row: R, at: string): Promise<MachineEvent[]>;
}

export const itemStore: SubjectStore<ItemRow> = {
  load: (_tx, batch, orgId, id) => batch.item(orgId, id),
  save: async (_tx, batch, _before, next) => batch.putItem(next),
  insert: async (_tx, batch, row) => batch.addItem(row),
  // An item's open deadlines past due, earliest first.
  async dueEvents(batch, row, at) {
    return (await batch.deadlines(row.id))
      .filter((d) => d.status === 'open' && d.dueAt <= at)
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0))
      .map((d) => ({ type: 'DEADLINE_BREACHED', deadline: d.kind, dueAt: d.dueAt }));
  },
};

export const accountStore: SubjectStore<AccountRow> = {
  async load(tx, _batch, orgId, id) {
    const [row] = await tx.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.orgId, orgId)));
    return row ?? null;
  },
  async save(tx, _batch, before, next) {
    const { id: _id, orgId: _org, createdAt: _created, ...columns } = next;
    const written = await tx.update(accounts).set(columns).where(and(eq(accounts.id, before.id), eq(accounts.version, before.version)));
    if (written.rowsAffected !== 1) throw new Error(`account ${before.id} changed under its write transaction`);
  },
  async insert(tx, _batch, row) {
    await tx.insert(accounts).values(row);
  },
  // An account's due work (reviews, snapshots, monitoring) is found by the schedules, not before a step.
  dueEvents: async () => [],
};

export const subjectStores: { item: SubjectStore<ItemRow>; account: SubjectStore<AccountRow> } = { item: itemStore, account: accountStore };

export function storeOf(subject: Subject): SubjectStore<SteppedRow> {
  return subjectStores[subject] as unknown as SubjectStore<SteppedRow>;
}
