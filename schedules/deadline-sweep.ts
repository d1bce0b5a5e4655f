// Deadline sweep: every open deadline whose due instant has passed becomes breached, and its
// item's history gains one DEADLINE_BREACHED from the system actor — exactly once, however
// often this runs and in however many processes (the row's status is compared and set in the
// event's transaction). Catches up after downtime: it takes everything due up to `now`.
import { and, asc, eq, gt, lte, or } from 'drizzle-orm';
import { breachOverdue } from '../db/item-step.ts';
import { deadlines } from '../db/schema.ts';
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
    for (;;) {
      const due = await store.db
        .select({ itemId: deadlines.itemId, orgId: deadlines.orgId, dueAt: deadlines.dueAt })
        .from(deadlines)
        .where(
          and(
            eq(deadlines.status, 'open'),
            lte(deadlines.dueAt, at),
            or(gt(deadlines.dueAt, cursor.dueAt), and(eq(deadlines.dueAt, cursor.dueAt), gt(deadlines.itemId, cursor.itemId))),
          ),
        )
        .orderBy(asc(deadlines.dueAt), asc(deadlines.itemId))
        .limit(pageSize);
      if (due.length === 0) break;
      const last = due.at(-1)!;
      cursor = { dueAt: last.dueAt, itemId: last.itemId };
      const itemsDue = new Map(due.map((d) => [d.itemId, d.orgId]));
      examined += itemsDue.size;
      // Submitted together, so the write queue commits them in a few transactions.
      const counts = await Promise.all(
        [...itemsDue].map(([itemId, orgId]) =>
          store.writes.run(
            async (_tx, batch) => {
              const row = await batch.item(orgId, itemId);
              return row ? (await breachOverdue(batch, row, await batch.policy(orgId), at)).breached : 0;
            },
            { direct: false, prefetch: { itemIds: [itemId] } },
          ),
        ),
      );
      breached += counts.reduce((sum, n) => sum + n, 0);
      // Yield between pages: statements are freed only when the event loop turns.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { examined, breached };
  },
};

