// Benchmark: the write path alone, in process, with no HTTP and no write worker: 64 callers at
// once through the write queue on one thread, as its group commits see them. First ingests, then
// HOLD and RELEASE_HOLD in turn over the ingested items (no item in flight twice), as
// `npm run bench` drives them over HTTP. With `--statements`, the wall time of every SQL statement
// per operation (bench/lib/statement-times.ts), to see what a group's SQL costs.
// Run with `npm run bench:write-path [-- --items 3000 --transitions 20000 --runs 3 --statements]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { ingestItem } from '../db/items/items.ts';
import { applyItemEvent } from '../db/write/apply-item-event.ts';
import { activeAccount, integrator, organisation, registrar, t0 } from '../test/helpers/fixtures.ts';
import { statementTable, timeStatements } from './lib/statement-times.ts';
import { median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '3000' }, transitions: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' }, callers: { type: 'string', default: '64' },
    statements: { type: 'boolean', default: false },
  },
});
const [itemCount, transitionCount, runs, callers] = [values.items, values.transitions, values.runs, values.callers].map(Number) as [number, number, number, number];
// Each caller needs an item of its own at every moment.
if (!(itemCount >= callers && callers > 0 && transitionCount > 0 && runs > 0)) throw new Error('--items must be at least --callers, and every count positive');
const timing = values.statements ? timeStatements() : null;

const dir = mkdtempSync(join(tmpdir(), 'diarium-bench-'));
const store = await openDatabase(`file:${join(dir, 'bench.db')}`);
try {
  await migrateDatabase(store);
  const org = await organisation(store, 'tibro');
  const accountId = (await activeAccount(store, org)).id;
  const now = new Date(t0.getTime() + 60_000);

  const ids: string[] = [];
  let next = 0;
  timing?.reset();
  const ingests = await rate(itemCount, async () => {
    const n = next++;
    const result = await ingestItem(store, {
      orgId: org.id, actor: integrator, now,
      item: { accountId, externalId: `bench-${n}`, kind: 'comment', direction: 'inbound', author: { handle: `resident-${n}` }, text: `When is the library open? (${n})` },
    });
    if (!result.ok) throw new Error(result.detail);
    ids.push(result.item.id);
  });
  console.log(`ingests: ${Math.round(ingests)}/s (${itemCount.toLocaleString('en-GB')} items, ${callers} callers)`);
  if (timing) console.log(statementTable(timing.totals, itemCount));

  // Each caller takes the next item that is not in flight; an item on hold is released next time.
  const held = new Set<string>();
  const busy = new Set<string>();
  let turn = 0;
  const rates: number[] = [];
  timing?.reset();
  for (let run = 0; run < runs; run++) {
    rates.push(await rate(transitionCount, async () => {
      let id = ids[turn++ % ids.length]!;
      while (busy.has(id)) id = ids[turn++ % ids.length]!;
      busy.add(id);
      const release = held.has(id);
      const result = await applyItemEvent(store, {
        orgId: org.id, itemId: id, actor: registrar, ifMatch: null, idempotency: null, now,
        event: release ? { type: 'RELEASE_HOLD', reason: 'Bench' } : { type: 'HOLD', reason: 'Bench' },
      });
      if (!result.ok) throw new Error(result.detail);
      if (release) held.delete(id);
      else held.add(id);
      busy.delete(id);
    }));
  }
  console.log(`transitions: ${Math.round(median(rates))}/s median of ${runs} (${rates.map(Math.round).join(', ')}; ${transitionCount.toLocaleString('en-GB')} each)`);
  if (timing) console.log(statementTable(timing.totals, transitionCount * runs));
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Operations per second: `total` calls of `operation`, `callers` at a time. */
async function rate(total: number, operation: () => Promise<void>): Promise<number> {
  let started = 0;
  const caller = async () => {
    while (started < total) {
      started++;
      await operation();
    }
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  return total / ((performance.now() - begun) / 1000);
}
