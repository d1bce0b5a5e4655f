// Two servers on one database file (issue 7, point 2): `npm start` twice on the same `file:` URL,
// the second after the first has migrated, both with their schedules on. node-cron is the only
// trigger the servers have (no environment variable speeds it up; each also runs every job once
// at start-up), so the test takes HTTP writes on both servers across a real minute boundary —
// where both servers' `deadlines` jobs fire at once — while two `diarium sweep` processes run
// every job as of that boundary too. It therefore lasts from about 50 s to 100 s, depending on
// where in the minute it starts. Then, with the servers stopped: no job ran in two processes at
// once (the lease), every overdue deadline was breached exactly once, every applied request is in
// the ledger exactly once at the version it answered, idempotent retries sent to both servers at
// once were applied once, the runs of one job as of the boundary (the servers' ticks and the
// sweeps all name it) followed one another and together breached each deadline once, and the
// ledger verifies.
import { asc, eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Store } from '../../db/client.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import { deadlines, items, jobLeases, jobRuns, ledgerEvents, organisations } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { deadlineSweep } from '../../schedules/deadline-sweep.ts';
import { runJob } from '../../schedules/job.ts';
import { completeAccount } from '../helpers/fixtures.ts';
import { diarium, startServer, type RunningServer } from '../helpers/processes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Response {
  server: number;
  method: string;
  path: string;
  keyId: string;
  role: string;
  event: Record<string, unknown> | null;
  ifMatch: number | null;
  idem: string | null;
  status: number;
  replayed: boolean;
  json: any;
}

describe('two server processes on one database file, both running the schedules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-two-'));
  const url = `file:${join(dir, 'two.db')}`;
  const servers: RunningServer[] = [];
  let store: Store | undefined;

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each job in one process at a time, breaches once, and loses or doubles no write', async () => {
    const started = Date.now();
    const phases: Record<string, number> = {};
    const phase = (name: string) => (phases[name] = Math.round((Date.now() - started) / 100) / 10);
    // The first server migrates and creates the preset organisations; the second, started once
    // the first listens, finds them. The CLI makes the other keys meanwhile.
    servers.push(await startServer(url));
    const adminLine = servers[0]!.lines.find((line) => line.org === 'tibro')!;
    const [second, made] = await Promise.all([
      startServer(url),
      Promise.all(['integrator', 'officer', 'registrar', 'auditor'].map((role) => diarium(['keys', 'add', '--org', 'tibro', '--role', role], url))),
    ]);
    servers.push(second);
    phase('started');
    expect(servers[1]!.lines.filter((line) => line.role === 'admin')).toEqual([]);

    const keys: Record<string, { id: string; key: string }> = { admin: { id: String(adminLine.keyId), key: String(adminLine.key) } };
    for (const result of made) {
      expect(result.code, result.stderr).toBe(0);
      const printed = JSON.parse(result.stdout);
      keys[printed.role] = { id: printed.id, key: printed.key };
    }

    const log: Response[] = [];
    async function http(server: number, method: string, path: string, role: string, body?: Record<string, unknown>, headers: Record<string, string> = {}, meta: Partial<Response> = {}) {
      const response = await fetch(servers[server]!.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${keys[role]!.key}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const entry: Response = {
        server, method, path, keyId: keys[role]!.id, role, event: null, ifMatch: null, idem: null, status: response.status,
        replayed: response.headers.get('idempotent-replayed') === 'true', json: text ? JSON.parse(text) : null, ...meta,
      };
      if (method === 'POST') log.push(entry);
      return entry;
    }

    const account = await http(0, 'POST', '/v1/accounts', 'admin', { ...completeAccount, handle: 'tibro-two' });
    expect(account.status).toBe(201);
    expect((await http(1, 'POST', `/v1/accounts/${account.json.id}/events`, 'admin', { type: 'APPROVE' })).status).toBe(200);

    // Backdated items: their assessment was due days ago, so whoever touches them first — a cron
    // tick in either server, a sweep process, or an officer's event — records the breach.
    const itemIds: string[] = [];
    let external = 0;
    const backdated = () => ({
      accountId: account.json.id, externalId: `two-${external++}`, kind: 'comment', direction: 'inbound',
      author: { handle: 'resident' }, text: 'Is the pool open?', receivedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    });
    async function ingest(server: number) {
      const result = await http(server, 'POST', '/v1/items', 'integrator', backdated());
      if (result.status === 201) itemIds.push(String(result.json.id));
      return result;
    }
    for (let i = 0; i < 12; i++) expect((await ingest(i % 2)).status).toBe(201);

    phase('setUp');
    // The minute boundary at which both servers' `deadlines` cron fires, at least 6 s away: the
    // load runs from now until just after it (on average half a minute, at most 66 s).
    const boundary = Math.ceil((Date.now() + 6_000) / 60_000) * 60_000;
    const boundaryIso = new Date(boundary).toISOString();
    const loadUntil = boundary + 5_000;

    let idemCounter = 0;
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    async function worker(server: number) {
      while (Date.now() < loadUntil) {
        const itemId = pick(itemIds);
        const roll = Math.random();
        const other = 1 - server;
        if (roll < 0.1) {
          await ingest(server);
        } else if (roll < 0.45) {
          // No precondition: always applied, in some order.
          const event = { type: 'CAPTURE_EVIDENCE' };
          const role = pick(['officer', 'integrator']);
          await http(server, 'POST', `/v1/items/${itemId}/events`, role, event, {}, { event });
        } else if (roll < 0.75) {
          // Read on one server, write on the other with the version seen: 200 or 412.
          const seen = await fetch(`${servers[server]!.baseUrl}/v1/items/${itemId}`, { headers: { authorization: `Bearer ${keys.officer!.key}` } });
          const version = Number(JSON.parse(await seen.text()).version);
          const event = { type: 'ASSESS', decision: pick(['answer', 'no_action', 'forward']), categories: ['question'], registration: 'required' };
          await http(other, 'POST', `/v1/items/${itemId}/events`, 'officer', event, { 'If-Match': `"${version}"` }, { event, ifMatch: version });
        } else if (roll < 0.9) {
          // A retry with the same Idempotency-Key to both servers at once.
          const idem = `two-${server}-${idemCounter++}`;
          const event = pick([{ type: 'HOLD', reason: 'Inquiry' }, { type: 'RELEASE_HOLD', reason: 'Done' }, { type: 'CAPTURE_EVIDENCE' }]);
          const role = event.type === 'CAPTURE_EVIDENCE' ? 'integrator' : 'registrar';
          await Promise.all([server, other].map((s) =>
            http(s, 'POST', `/v1/items/${itemId}/events`, role, event, { 'Idempotency-Key': idem }, { event, idem })));
        } else {
          const event = pick([{ type: 'ANSWER', text: 'It opens at ten.' }, { type: 'REGISTER', number: `KS ${idemCounter++}` }]);
          await http(server, 'POST', `/v1/items/${itemId}/events`, event.type === 'REGISTER' ? 'registrar' : 'officer', event, {}, { event });
        }
        await sleep(40);
      }
    }
    // Two sweep processes running every job as of the boundary, started so they land on it.
    const sweeps = (async () => {
      // The CLI takes a few seconds to start; its jobs run as of the boundary whenever they start.
      await sleep(Math.max(0, boundary - 8_000 - Date.now()));
      return Promise.all([1, 2].map(() => diarium(['sweep', '--now', boundaryIso], url)));
    })();
    await Promise.all([0, 0, 0, 1, 1, 1].map(worker));
    phase('loadEnded');
    const sweepResults = await sweeps;
    // Let a cron run that the load overlapped finish before stopping the servers.
    await sleep(1_500);
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    for (const sweep of sweepResults) expect(sweep.code, sweep.stderr).toBe(0);

    phase('stopped');

    // A final sweep of deadlines on its own (this test process as a third writer): after it
    // nothing overdue is left open.
    store = await openDatabase(url);
    const db = store.db;
    const finalAt = new Date();
    const finalSweep = await runJob({ store, clock: () => new Date() }, deadlineSweep, finalAt);
    expect(finalSweep.ran).toBe(true);
    const finalNow = finalAt.toISOString();
    const [org] = await db.select().from(organisations).where(eq(organisations.slug, 'tibro'));

    // Every answer is 2xx or a documented refusal; never 5xx, never rate limited at this load.
    const statuses = new Map<number, number>();
    for (const r of log) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    for (const r of log) expect([200, 201, 409, 412], `${r.method} ${r.path} ${JSON.stringify(r.event)} → ${r.status} ${JSON.stringify(r.json)}`).toContain(r.status);
    for (const r of log.filter((r) => r.status === 412)) expect(r.json.currentVersion).not.toBe(r.ifMatch);

    // Idempotent pairs: the same answer from both servers, applied once.
    const pairs = new Map<string, Response[]>();
    for (const r of log.filter((r) => r.idem)) pairs.set(r.idem!, [...(pairs.get(r.idem!) ?? []), r]);
    for (const [idem, pair] of pairs) {
      expect(pair, idem).toHaveLength(2);
      expect(pair[0]!.status, idem).toBe(pair[1]!.status);
      expect(pair[0]!.json, idem).toEqual(pair[1]!.json);
      if (pair[0]!.status === 200) expect(pair.filter((r) => !r.replayed), `${idem} applied twice`).toHaveLength(1);
    }

    // Every applied event is the ledger's event at the version it answered, once.
    const eventsApplied = log.filter((r) => r.event && r.status === 200 && !r.replayed);
    const history = new Map<string, Awaited<ReturnType<typeof subjectHistory>>>();
    for (const id of itemIds) history.set(id, await subjectHistory(db, org!.id, id));
    const claimed = new Set<string>();
    for (const r of eventsApplied) {
      const itemId = r.path.split('/')[3]!;
      const version = Number(r.json.version);
      expect(claimed.has(`${itemId} ${version}`), `two 200s claim ${itemId} version ${version}`).toBe(false);
      claimed.add(`${itemId} ${version}`);
      const event = history.get(itemId)![version - 1];
      expect({ seq: event?.seq, type: event?.type, actor: event?.actor }).toEqual({ seq: version, type: r.event!.type, actor: { keyId: r.keyId, role: r.role } });
      if (r.ifMatch !== null) {
        for (const between of history.get(itemId)!.slice(r.ifMatch, version - 1)) expect(between.type, `lost update on ${itemId}`).toBe('DEADLINE_BREACHED');
      }
    }
    const ingested = log.filter((r) => r.path === '/v1/items');
    expect(ingested.every((r) => r.status === 201)).toBe(true);
    expect(await db.$count(items, eq(items.orgId, org!.id))).toBe(ingested.length);

    let breaches = 0;
    for (const id of itemIds) {
      const events = history.get(id)!;
      const [row] = await db.select().from(items).where(eq(items.id, id));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: row!.version }, (_, i) => i + 1));
      expect(events[0]!.type).toBe('RECEIVED');
      const clientEvents = events.filter((e) => e.seq > 1 && e.actor.role !== 'system');
      expect(clientEvents.length, `${id}: ledger client events vs applied 200s`).toBe(eventsApplied.filter((r) => r.path.split('/')[3] === id).length);
      const itemBreaches = events.filter((e) => e.type === 'DEADLINE_BREACHED');
      breaches += itemBreaches.length;
      const kinds = itemBreaches.map((e) => String(e.payload.deadline));
      expect(new Set(kinds).size, `${id}: breached twice: ${kinds}`).toBe(kinds.length);
      for (const deadline of await db.select().from(deadlines).where(eq(deadlines.itemId, id))) {
        expect(itemBreaches.filter((e) => e.payload.deadline === deadline.kind).length, `${id} ${deadline.kind}`).toBe(deadline.status === 'breached' ? 1 : 0);
        if (deadline.status === 'open') expect(deadline.dueAt > finalNow, `${id} ${deadline.kind} overdue and open`).toBe(true);
      }
      const replay = await replayItem(db, org!.id, id, new Date('2100-01-01T00:00:00Z'));
      expect(replay, JSON.stringify(replay)).toMatchObject({ matchesStored: true, eventsApplied: row!.version });
    }
    // Every ingested item's assessment was overdue: each was breached exactly once.
    expect(await db.$count(deadlines, eq(deadlines.status, 'breached'))).toBeGreaterThanOrEqual(itemIds.length);

    // The chain: positions 1..head for every organisation, and the CLI's verification.
    for (const o of await db.select().from(organisations)) {
      const positions = (await db.select({ n: ledgerEvents.orgSeq }).from(ledgerEvents).where(eq(ledgerEvents.orgId, o.id)).orderBy(asc(ledgerEvents.orgSeq))).map((r) => r.n);
      expect(positions).toEqual(Array.from({ length: o.ledgerSeq }, (_, i) => i + 1));
    }
    expect(await verifyLedger(db)).toMatchObject({ ok: true, breaks: [] });

    // The schedules: no lease left behind, and no job ever ran in two processes at once.
    expect(await db.select().from(jobLeases)).toEqual([]);
    const runs = await db.select().from(jobRuns).orderBy(asc(jobRuns.job), asc(jobRuns.startedAt));
    for (let i = 1; i < runs.length; i++) {
      if (runs[i]!.job !== runs[i - 1]!.job) continue;
      expect(runs[i]!.startedAt >= runs[i - 1]!.finishedAt, `${runs[i]!.job} overlapped: ${JSON.stringify([runs[i - 1], runs[i]])}`).toBe(true);
    }
    // At the boundary: the servers' cron ticks and the two sweep processes all wanted `deadlines`.
    const tick = runs.filter((r) => r.job === 'deadlines' && r.asOf >= boundaryIso && r.asOf < new Date(boundary + 10_000).toISOString());
    expect(tick.filter((r) => r.asOf === boundaryIso).length, JSON.stringify(tick)).toBeGreaterThanOrEqual(1);
    // However many processes ran a job as of one instant, the jobs' rows made each breach once:
    // the breaches the runs counted are among the ledger's, each item's breached once (above).
    const sweepRan = sweepResults.map((s) => JSON.parse(s.stdout).jobs.deadlines.ran as boolean);
    const breachedByJobs = runs.filter((r) => r.job === 'deadlines').reduce((sum, r) => sum + (r.counts.breached ?? 0), 0);
    expect(breachedByJobs).toBeLessThanOrEqual(breaches);
    const runsPerJob = Object.fromEntries([...new Set(runs.map((r) => r.job))].map((job) => [job, runs.filter((r) => r.job === job).length]));

    console.log(JSON.stringify({
      requests: log.length, statuses: Object.fromEntries(statuses), items: itemIds.length, breaches, breachedByJobs,
      deadlinesRunsAtBoundary: tick.map((r) => ({ asOf: r.asOf, startedAt: r.startedAt, finishedAt: r.finishedAt, counts: r.counts })),
      sweepProcessesRanDeadlines: sweepRan, runsPerJob, phases: { ...phases, checked: phase('checked') },
    }));
  }, 150_000);
});
