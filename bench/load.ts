// The load generator: autocannon in a process of its own (never the server's, nor the
// orchestrator's). Forked by bench/lib/load-client.ts, it takes lists of specs over IPC, runs
// each list's specs at the same time (two servers under one load) and answers with their
// results, so one start-up serves every run. By hand: node --import tsx bench/load.ts SPEC.json
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

export type LoadSpec = {
  url: string;
  connections: number;
  /** seconds */
  duration: number;
  headers: Record<string, string>;
} & (
  /** HOLD / RELEASE_HOLD in turn on a pool of items: valid for ever, one item never in flight twice. */
  | { mode: 'toggle'; pathTemplate: string; ids: string[]; held: string[]; perItem?: boolean }
  /** New items, each with an external id never used before. */
  | { mode: 'ingest'; path: string; runTag: string; accountId: string }
  /** Filtered list pages, each starting at a cursor picked at random. */
  | { mode: 'list'; path: string; cursors: string[] }
);

export interface LoadResult {
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  perSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  statusCounts: Record<string, number>;
  /** Toggle mode with `perItem`: 2xx answers per item, and the items whose request was unanswered at the end. */
  perItem?: { acknowledged: Record<string, number>; unanswered: string[] };
}

type Request = autocannon.Request;
type Context = { id?: string };

function requestsFor(spec: LoadSpec): { requests: Request[]; perItem?: () => LoadResult['perItem'] } {
  if (spec.mode === 'toggle') {
    const idle = [...spec.ids];
    const held = new Set(spec.held);
    const acknowledged: Record<string, number> = {};
    const template = spec.pathTemplate;
    // What the ledger must hold after the run: exactly `acknowledged` new events for an item
    // answered last, one more at most for an item whose last request was cut off.
    const perItem = () => {
      const answered = new Set(idle);
      return { acknowledged, unanswered: spec.ids.filter((id) => !answered.has(id)) };
    };
    const requests: Request[] = [{
      method: 'POST',
      setupRequest: (request, context) => {
        // Take the least recently used idle item; autocannon keeps `context` until this
        // request's response, so the item goes back to the pool exactly once.
        const id = idle.shift();
        if (id === undefined) throw new Error('toggle pool is smaller than the number of connections');
        (context as Context).id = id;
        const type = held.has(id) ? 'RELEASE_HOLD' : 'HOLD';
        return { ...request, path: template.replace('{id}', id), body: JSON.stringify({ type, reason: 'bench' }) };
      },
      onResponse: (status, _body, context) => {
        const id = (context as Context).id;
        if (id === undefined) return;
        // 200: the step happened. 409 (counted as a failure by the suite): the item was in
        // the other state after all; flipping keeps the rest of the run valid.
        if (status === 200 || status === 409) {
          if (held.has(id)) held.delete(id);
          else held.add(id);
        }
        if (status >= 200 && status < 300) acknowledged[id] = (acknowledged[id] ?? 0) + 1;
        idle.push(id);
      },
    }];
    return { requests, ...(spec.perItem ? { perItem } : {}) };
  }
  if (spec.mode === 'ingest') {
    let next = 0;
    return { requests: [{
      method: 'POST',
      path: spec.path,
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          accountId: spec.accountId, externalId: `${spec.runTag}-${next++}`, kind: 'comment', direction: 'inbound',
          author: { handle: 'resident', name: 'A Resident' }, text: 'When does the library open on Saturdays?',
        }),
      }),
    }] };
  }
  const cursors = spec.cursors;
  return { requests: [{
    method: 'GET',
    setupRequest: (request) => ({
      ...request,
      path: `${spec.path}&cursor=${cursors[Math.floor(Math.random() * cursors.length)]}`,
    }),
  }] };
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  const { requests, perItem } = requestsFor(spec);
  const result = await autocannon({
    url: spec.url, connections: spec.connections, duration: spec.duration, pipelining: 1, timeout: 30,
    headers: { 'content-type': 'application/json', ...spec.headers }, requests,
  });
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0]),
  );
  const ok2xx = result['2xx'];
  return {
    ok2xx, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, seconds: result.duration,
    perSecond: ok2xx / result.duration,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statusCounts, ...(perItem ? { perItem: perItem() } : {}),
  };
}

if (process.send) {
  process.on('message', (specs: LoadSpec[]) => {
    Promise.all(specs.map(measure)).then((results) => process.send!({ results }), (error: unknown) => process.send!({ error: String(error) }));
  });
} else {
  process.stdout.write(`${JSON.stringify(await measure(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec))}\n`);
}
