// GET /v1/items filtered and paged on `config.listItems` items (1,000,000 in a full run) under
// `config.connections` connections WHILE a transition load of 16 connections (the toggle
// workload of the transition figure) runs against the same server: issue 21's list p99 holds
// under writes, not on an idle server. Both loads come from the one generator at once; the
// transitions are checked as everywhere (every acknowledged step in the ledger, none doubled).
import type { LoadResult, LoadSpec } from '../load.ts';
import { ledgerHead, settledCount } from './against-references.ts';
import { runLoad, runLoads } from './load-client.ts';
import { heldItems, itemPool, type Bench } from './phases.ts';
import { cloneId, cloneItems, countRows } from './seed.ts';
import { http, withPeakRss } from './server.ts';
import { figure } from './stats.ts';

const transitionConnections = 16;

export async function list(b: Bench) {
  const { url } = b.server;
  const { runs, duration, warmup, connections } = b.config;
  // Before the clones: the pool's items must be real ones.
  const pool = await itemPool(b);
  // Two templates, received and assessed, so the status filter matches half of the clones.
  const template = (externalId: string) => http(url, b.keys.integrator, 'POST', '/v1/items', {
    accountId: b.accountId, externalId, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: 'A question.',
  });
  const received = await template('list-template-received');
  const assessed = await template('list-template-assessed');
  await http(url, b.keys.officer, 'POST', `/v1/items/${assessed.id}/events`, { type: 'ASSESS', decision: 'answer', categories: [], registration: 'not_required' });
  const started = performance.now();
  await cloneItems(b.store.client, [String(received.id), String(assessed.id)], 0, b.config.listItems);
  const seedSeconds = (performance.now() - started) / 1000;
  const total = await countRows(b.store.client, `select count(*) from items`);

  const cursors = Array.from({ length: 1_000 }, () => cloneId(Math.floor(Math.random() * b.config.listItems)));
  const pages = (seconds: number, conns = connections): LoadSpec => ({
    url, connections: conns, duration: seconds, headers: { authorization: `Bearer ${b.keys.officer}` },
    mode: 'list', path: `/v1/items?status=assessed&accountId=${b.accountId}&limit=50`, cursors,
  });
  const toggles = async (seconds: number): Promise<LoadSpec> => ({
    url, connections: transitionConnections, duration: seconds, headers: { authorization: `Bearer ${b.keys.registrar}` },
    mode: 'toggle', pathTemplate: '/v1/items/{id}/events', ids: pool, held: await heldItems(b, pool),
  });
  /** The list and the transitions at once; the ledger's growth checked against the acknowledged steps. */
  const mixed = async (seconds: number, label: string) => {
    const before = await settledCount(() => ledgerHead(b));
    const measured = await withPeakRss(b.server.pid, async () => runLoads([pages(seconds), await toggles(seconds)]));
    const [listed, stepped] = measured.value as [LoadResult, LoadResult];
    const extra = (await settledCount(() => ledgerHead(b))) - before - stepped.ok2xx;
    if (extra < 0 || extra > transitionConnections) b.problems.push(`list, ${label}: ${stepped.ok2xx} transitions acknowledged, ${extra} more in the ledger`);
    for (const [name, r] of [['pages', listed], ['transitions', stepped]] as const) {
      if (r.non2xx + r.errors > 0) b.problems.push(`list, ${label}, ${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    }
    return { listed, stepped, peakMB: measured.peakMB };
  };

  await mixed(warmup, 'warm-up');
  const results: Array<{ listed: LoadResult; stepped: LoadResult; peakMB: number }> = [];
  // One connection alone as well: the latency of a page on an idle server, apart from queueing.
  const single: LoadResult[] = [];
  for (let run = 1; run <= runs; run++) {
    results.push(await mixed(duration, `run ${run}`));
    single.push(await runLoad(pages(duration, 1)));
  }
  for (const r of single) if (r.non2xx + r.errors > 0) b.problems.push(`list, 1 connection: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  b.raw.list = {
    seedSeconds, totalItems: total, pages: results.map((r) => r.listed), transitions: results.map((r) => r.stepped), singleConnection: single,
  };
  const size = total.toLocaleString('en-GB');
  b.figures.push(
    figure('listP99', `GET /v1/items?status&accountId, 50 a page, ${size} items, ${connections} conn., transitions running: p99`, 'ms',
      results.map((r) => r.listed.latency.p99), { target: { op: '<=', value: 50 } }),
    figure('listPerSecond', 'GET /v1/items pages/s at that load', '/s', results.map((r) => r.listed.perSecond)),
    figure('listTransitionsPerSecond', `transitions/s beside the list load (${transitionConnections} conn., same server)`, '/s',
      results.map((r) => r.stepped.perSecond)),
    figure('listTransitionP99', 'p99 of those transitions', 'ms', results.map((r) => r.stepped.latency.p99)),
    figure('listP99Single', 'GET /v1/items p99 at 1 connection, nothing else running', 'ms', single.map((r) => r.latency.p99)),
    figure('rssWithItems', `server peak RSS with ${size} items (list and transition load)`, 'MB', results.map((r) => r.peakMB), {
      target: { op: '<=', value: 250 },
    }),
  );
}
