// Moving live items to a newer machine version (DESIGN.md: a new version ships with a migration of
// live snapshots). The migration itself is a pure function of machines/registry.ts; this walks the
// items in pages by id. A dry run reads and answers what a real run would do; a real run records
// one MIGRATED {from, to} link per item, a page per write transaction, each item re-read in it
// (safe while the server serves). A crash loses at most the open page: migrated items no longer
// match, so a second run takes up the rest.
import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import { machineMigration, machineVersion } from '../../machines/registry.ts';
import type { Store } from '../client.ts';
import type { ItemRow } from '../items/item-view.ts';
import { policyOf } from '../organisations.ts';
import { items, organisations } from '../schema.ts';
import { withWholeContexts } from '../items/item-rules.ts';
import { commitMigration } from './apply-event.ts';

export interface MigrationReport {
  machine: string;
  to: number;
  examined: number;
  migrated: number;
  refused: Array<{ id: string; reason: string }>;
  /** Items migrated (or, in a dry run, that would be), by the status they have. */
  byState: Record<string, number>;
  dryRun: boolean;
}

export type MigrationRequest = { machine: 'item'; to: number; orgId?: string | undefined; dryRun: boolean; now: Date; pageSize?: number };

type Planned = { ok: true; next: { value: unknown; context: unknown } } | { ok: false; reason: string };

export async function migrateMachines(store: Store, request: MigrationRequest): Promise<MigrationReport | { ok: false; detail: string }> {
  const target = `${request.machine}@${request.to}`;
  if (machineVersion(target)?.subject !== request.machine) return { ok: false, detail: `no machine ${target}` };
  const report: MigrationReport = { machine: request.machine, to: request.to, examined: 0, migrated: 0, refused: [], byState: {}, dryRun: request.dryRun };
  const policies = new Map((await store.db.select().from(organisations)).map((org) => [org.id, policyOf(org)]));
  const pageSize = request.pageSize ?? 200;
  const plan = (row: ItemRow): Planned => {
    const migration = machineMigration(row.machine, target);
    if (!migration) return { ok: false, reason: `no migration from ${row.machine} to ${target}` };
    return migration.migrate({ value: row.state, context: row.context }, { policy: policies.get(row.orgId)! });
  };
  const count = (row: ItemRow, planned: Planned) => {
    report.examined += 1;
    if (!planned.ok) {
      report.refused.push({ id: row.id, reason: planned.reason });
      return;
    }
    report.migrated += 1;
    const status = machineVersion(target)!.status(planned.next);
    report.byState[status] = (report.byState[status] ?? 0) + 1;
  };
  let after = '';
  for (;;) {
    const page = await store.db
      .select({ id: items.id, orgId: items.orgId })
      .from(items)
      .where(and(ne(items.machine, target), gt(items.id, after), request.orgId ? eq(items.orgId, request.orgId) : undefined))
      .orderBy(asc(items.id))
      .limit(pageSize);
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    const ids = page.map((row) => row.id);
    if (request.dryRun) {
      for (const row of await withWholeContexts(store.db, await store.db.select().from(items).where(inArray(items.id, ids)).orderBy(asc(items.id)))) {
        if (row.machine !== target) count(row, plan(row));
      }
      continue;
    }
    // The command answers what it did, counted here once it has committed (a failed batch runs again).
    const done = await store.writes.run(async (tx, batch) => {
      const outcomes: Array<[ItemRow, Planned]> = [];
      for (const { id, orgId } of page) {
        const row = await batch.item(orgId, id);
        if (!row || row.machine === target) continue;
        const planned = plan(row);
        outcomes.push([row, planned]);
        if (planned.ok) {
          await commitMigration(tx, batch, {
            subject: 'item', row, to: target, type: 'MIGRATED', next: planned.next, now: request.now, payload: { from: row.machine, to: target },
          });
        }
      }
      return outcomes;
    }, { direct: false, prefetch: { itemIds: ids } });
    for (const [row, planned] of done) count(row, planned);
    // Statements are freed only when the event loop turns.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}
