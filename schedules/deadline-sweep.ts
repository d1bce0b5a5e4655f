// Deadline sweep: every open deadline whose due instant has passed becomes breached, and its
// item's history gains one DEADLINE_BREACHED from the system actor — exactly once, however
// often this runs and in however many processes (the row's status is compared and set in the
// event's transaction). Catches up after downtime: it takes everything due up to `now`.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { recordDueSteps } from '../db/write/apply-event.ts';
import { deadlines } from '../db/schema.ts';
import type { WriteQueue } from '../db/write/write-queue.ts';
import type { Job } from './job.ts';

const pageSize = 1_000;

export const deadlineSweep: Job = {
  name: 'deadlines',
  schedule: '* * * * *',
  async run({ store }, now) {
    const at = now.toISOString();
    let cursor = { dueAt: '', itemId: '' };
    let examined = 0;
    let breached = 0;
    const failures: unknown[] = [];
    for (;;) {
      const due = await duePage(store.db, at, cursor);
      if (due.length === 0) break;
      const last = due.at(-1)!;
      cursor = { dueAt: last.dueAt, itemId: last.itemId };
      const itemsDue = new Map(due.map((d) => [d.itemId, d.orgId]));
      examined += itemsDue.size;
      breached += await breachPage(store.writes, itemsDue, now, failures);
      // Yield between pages: statements are freed only when the event loop turns.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (failures.length > 0) {
      throw new Error(`deadline sweep: ${failures.length} item(s) could not be breached; ${breached} breached`, { cause: failures[0] });
    }
    return { examined, breached };
  },
};

/**
 * The next page of open deadlines due by `at`, after `cursor` in (due instant, item) order. As a
 * row value the cursor is one seek in deadlines_status_due_item, also when many deadlines fall due
 * at the same instant (a sort of every tie per page made a sweep of 100,000 quadratic).
 */
export function duePage(db: Db, at: string, cursor: { dueAt: string; itemId: string }) {
  return db
    .select({ itemId: deadlines.itemId, orgId: deadlines.orgId, dueAt: deadlines.dueAt })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.status, 'open'),
        lte(deadlines.dueAt, at),
        sql`(${deadlines.dueAt}, ${deadlines.itemId}) > (${cursor.dueAt}, ${cursor.itemId})`,
      ),
    )
    .orderBy(asc(deadlines.dueAt), asc(deadlines.itemId))
    .limit(pageSize);
}

/**
 * One page of due items as one write command: one prefetch and no per-item command overhead.
 * If the page's command throws, each item runs again as a command of its own, so an item that
 * cannot be breached (a bug, a damaged row) holds up neither its page nor the pages after it;
 * the sweep fails at its end, with the first such error, after committing every other breach.
 */
async function breachPage(writes: WriteQueue, itemsDue: Map<string, string>, now: Date, failures: unknown[]): Promise<number> {
  const breachItems = (ids: string[]) =>
    writes.run(
      async (tx, batch) => {
        let breached = 0;
        for (const itemId of ids) {
          const orgId = itemsDue.get(itemId)!;
          const row = await batch.item(orgId, itemId);
          if (row) breached += (await recordDueSteps(tx, batch, 'item', row, await batch.policy(orgId), now)).version - row.version;
        }
        return breached;
      },
      { direct: false, prefetch: { itemIds: ids } },
    );
  try {
    return await breachItems([...itemsDue.keys()]);
  } catch {
    let breached = 0;
    for (const outcome of await Promise.allSettled([...itemsDue.keys()].map((id) => breachItems([id])))) {
      if (outcome.status === 'fulfilled') breached += outcome.value;
      else failures.push(outcome.reason);
    }
    return breached;
  }
}
