// Interleavings (issue 7, point 2): random events fired at the same few items by several clients
// at once — different keys and roles, with and without If-Match and Idempotency-Key, duplicate
// retries — while the schedules run in the same process as of an instant that makes deadlines
// overdue (and, at the far end, items thinnable). After every interleaving: each item's stored
// state is the serial replay of its ledger events; versions are 1..version without gaps and the
// organisation's chain positions are contiguous; every answer is 2xx or a documented 4xx with its
// reason, never 5xx; every applied request is in the ledger exactly once, at the version it
// answered, and an idempotent retry answers the same and creates nothing; every breach is written
// once; the ledger verifies.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/access/api-keys.ts';
import { subjectHistory, type ChainedEvent } from '../../db/ledger/ledger.ts';
import { replayItem } from '../../db/ledger/replay.ts';
import { deadlines, jobLeases, jobRuns, ledgerEvents, organisations } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { itemEventRoles, type Role } from '../../machines/item.events.ts';
import { deadlineSweep } from '../../schedules/deadline-sweep.ts';
import { jobs, runJobs } from '../../schedules/index.ts';
import { runJob, type JobOutcome } from '../../schedules/job.ts';
import { completeAccount, organisation, t0 } from '../helpers/fixtures.ts';
import { call, httpWorld, keysFor, type CallResult } from '../helpers/http.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const hours = (n: number) => new Date(t0.getTime() + n * 3_600_000);
/**
 * The instants a round runs as of. t0 is Mon 2026-11-23 10:00 Stockholm: an hour on nothing is
 * due; on Wednesday the assess deadlines (end of Tuesday) and the short answer/remove windows are
 * overdue; 200 days on, everything is overdue and Tibro's six-month thinning applies (TI-13).
 */
const instants = [hours(1), hours(48), hours(24 * 200)];

/** Wall-clock budget for the property, so `npm test` stays well under a minute here. */
const budgetMs = Number(process.env.DIARIUM_INTERLEAVINGS_MS ?? 35_000);

type ClientName = 'admin' | 'integrator' | 'officer' | 'officer2' | 'registrar' | 'auditor';
const clientRole: Record<ClientName, Role> = {
  admin: 'admin', integrator: 'integrator', officer: 'officer', officer2: 'officer', registrar: 'registrar', auditor: 'auditor',
};
const clientsOf: Record<Role, ClientName[]> = {
  admin: ['admin'], integrator: ['integrator'], officer: ['officer', 'officer2'], registrar: ['registrar'], auditor: ['auditor'],
};

// ---------------------------------------------------------------------------------------------
// What is generated

const categories = fc.subarray(['question', 'criticism', 'praise', 'off_topic'], { minLength: 1, maxLength: 2 });
const words = fc.constantFrom('Thanks', 'We will look into it', 'See the site', 'Forwarded to the library');

const eventArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({
    type: fc.constant('ASSESS'), decision: fc.constantFrom('answer', 'forward', 'unpublish', 'no_action'), categories,
    registration: fc.constantFrom('required', 'not_required'), note: fc.option(words, { nil: undefined }),
  }, { requiredKeys: ['type', 'decision', 'categories', 'registration'] }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('ACKNOWLEDGE'), text: words }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('ANSWER'), text: words }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('FORWARD'), to: fc.constantFrom('Library', 'Parks') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('NOTIFY_AUTHOR'), text: words }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('CAPTURE_EVIDENCE') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('UNPUBLISH'), reason: fc.constant('Off topic'), categories: fc.constant(['off_topic']) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('REGISTER'), number: fc.constantFrom('KS 2026/1', 'KS 2026/2') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('CLOSE_CONVERSATION') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('HOLD'), reason: fc.constant('Inquiry') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('RELEASE_HOLD'), reason: fc.constant('Inquiry over') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('THIN'), reason: fc.constant('Temporary value') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('DEADLINE_BREACHED'), deadline: fc.constant('assess'), dueAt: fc.constant('2026-11-24T23:00:00.000Z') }) },
) as fc.Arbitrary<Record<string, unknown> & { type: keyof typeof itemEventRoles }>;

interface Action {
  item: number;
  event: Record<string, unknown> & { type: keyof typeof itemEventRoles };
  /** 0..n: which of the allowed clients; a large value picks any client (often a refused role). */
  who: number;
  ifMatch: number | null;
  /** Keys are per client, so the same number on one client with another body must answer 422. */
  idem: number | null;
  /** The same request sent this many times at once (a client retrying). */
  copies: number;
  /** setImmediate turns to wait before sending, to spread the requests over the write batches. */
  delay: number;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  item: fc.nat(3),
  event: eventArb,
  who: fc.oneof({ weight: 6, arbitrary: fc.nat(1) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 15 }) }),
  ifMatch: fc.option(fc.integer({ min: 1, max: 6 }), { freq: 2 }),
  idem: fc.option(fc.nat(4), { freq: 2 }),
  copies: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 3 }) }),
  delay: fc.nat(4),
});

interface Round {
  now: Date;
  actions: Action[];
  /** Which jobs run alongside, how many sweeps of them at once, and when they start. */
  jobs: string[];
  sweeps: number;
  jobDelay: number;
}

const roundArb = fc.record({
  now: fc.constantFrom(...instants),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 14 }),
  jobs: fc.subarray(jobs.map((job) => job.name), { minLength: 1 }),
  sweeps: fc.integer({ min: 1, max: 2 }),
  jobDelay: fc.nat(4),
});

/** A canned serial start per item, so that thinning and closed conversations come into reach. */
const setups: Record<string, Array<Record<string, unknown> & { type: keyof typeof itemEventRoles }>> = {
  none: [],
  noAction: [{ type: 'ASSESS', decision: 'no_action', categories: ['off_topic'], registration: 'not_required' }],
  answered: [
    { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
    { type: 'ANSWER', text: 'The library opens at ten.' },
  ],
  closed: [
    { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' },
    { type: 'CLOSE_CONVERSATION' },
  ],
};

const scenarioArb = fc.record({
  setup: fc.array(fc.constantFrom(...Object.keys(setups)), { minLength: 4, maxLength: 4 }),
  /** Serial steps before anything runs at once, so rounds start from varied states. */
  prefix: fc.array(actionArb.map((a) => ({ ...a, ifMatch: null, copies: 1, delay: 0 })), { maxLength: 4 }),
  rounds: fc.array(roundArb, { minLength: 1, maxLength: 2 }).map((rounds) => [...rounds].sort((a, b) => a.now.getTime() - b.now.getTime())),
});

// ---------------------------------------------------------------------------------------------
// Running one scenario

interface Sent {
  orgId: string;
  itemId: string;
  client: ClientName;
  keyId: string;
  role: Role;
  event: Record<string, unknown> & { type: keyof typeof itemEventRoles };
  ifMatch: number | null;
  idem: string | null;
  result: CallResult;
}

interface OrgWorld {
  orgId: string;
  keys: Record<ClientName, { id: string; key: string }>;
  items: Array<{ id: string; kind: string }>;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function wait(turns: number) {
  for (let i = 0; i < turns; i++) await tick();
}

let interleavings = 0;
let requests = 0;
let jobRunsTotal = 0;
const seen = { breaches: 0, scheduledThins: 0, idempotentReplays: 0 };
const statusCounts = new Map<number, number>();

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Set when the property starts; past it every further run passes at once, without running. */
let stopAt = Number.POSITIVE_INFINITY;

async function runScenario(scenario: Scenario) {
  // The time budget, checked here rather than by fast-check's interruptAfterTimeLimit, which
  // would leave the interrupted run going on in the background after the test has ended.
  if (Date.now() > stopAt) return;
  interleavings += 1;
  const t: TempDb = await tempDb();
  try {
    const world = await httpWorld(t, 'tibro');
    const app = world.app;
    const avesta = await organisation(t.store, 'avesta');
    const orgs: OrgWorld[] = [];
    for (const [orgId, keys] of [[world.org.id, world.keys], [avesta.id, await keysFor(t, avesta.id)]] as const) {
      const officer2 = await createApiKey(t.store, orgId, 'officer', t0);
      const all = { ...keys, officer2 } as OrgWorld['keys'];
      const created = await call(app, 'POST', '/v1/accounts', { key: all.admin.key, body: completeAccount });
      expect(created.status, created.text).toBe(201);
      const approved = await call(app, 'POST', `/v1/accounts/${created.json.id}/events`, { key: all.admin.key, body: { type: 'APPROVE' } });
      expect(approved.status, approved.text).toBe(200);
      const items = [];
      for (const kind of ['comment', 'direct_message']) {
        const body = {
          accountId: created.json.id, externalId: `${kind}-${orgId}`, kind, direction: 'inbound', author: { handle: 'resident' }, text: 'Open on Sunday?',
        };
        const ingested = await call(app, 'POST', '/v1/items', { key: all.integrator.key, body });
        expect(ingested.status, ingested.text).toBe(201);
        items.push({ id: String(ingested.json.id), kind });
      }
      orgs.push({ orgId, keys: all, items });
    }
    // Items 0, 1 are Tibro's comment and direct message, 2, 3 Avesta's.
    const target = (n: number) => ({ org: orgs[n >> 1]!, item: orgs[n >> 1]!.items[n & 1]! });

    const log: Sent[] = [];
    const send = async (action: Action) => {
      const { org, item } = target(action.item);
      const allowed = itemEventRoles[action.event.type].filter((r): r is Role => r !== 'system').flatMap((r) => clientsOf[r]);
      const everyone = Object.keys(clientRole) as ClientName[];
      const client = action.who < 10 && allowed.length > 0 ? allowed[action.who % allowed.length]! : everyone[action.who % everyone.length]!;
      const key = org.keys[client];
      const idem = action.idem === null ? null : `retry-${action.idem}`;
      const headers: Record<string, string> = {};
      if (action.ifMatch !== null) headers['If-Match'] = `"${action.ifMatch}"`;
      if (idem) headers['Idempotency-Key'] = idem;
      const fire = async () => {
        await wait(action.delay);
        const result = await call(app, 'POST', `/v1/items/${item.id}/events`, { key: key.key, body: action.event, headers });
        log.push({
          orgId: org.orgId, itemId: item.id, client, keyId: key.id, role: clientRole[client], event: action.event,
          ifMatch: action.ifMatch, idem, result,
        });
      };
      await Promise.all(Array.from({ length: action.copies }, fire));
    };

    for (const [item, name] of scenario.setup.entries()) {
      for (const event of setups[name]!) await send({ item, event, who: 0, ifMatch: null, idem: null, copies: 1, delay: 0 });
    }
    for (const action of scenario.prefix) await send(action);

    const outcomes: Array<Record<string, JobOutcome>> = [];
    let lastNow = t0;
    for (const round of scenario.rounds) {
      world.clock.now = round.now;
      lastNow = round.now;
      const selected = jobs.filter((job) => round.jobs.includes(job.name));
      const deps = { store: t.store, clock: () => new Date() };
      const sweeps = Array.from({ length: round.sweeps }, async () => {
        await wait(round.jobDelay);
        outcomes.push(await runJobs(deps, selected, round.now));
      });
      // Everything at once: a rejected job or request fails the property through Promise.all.
      await Promise.all([...round.actions.map(send), ...sweeps]);
    }
    // One last sweep on its own, so that every deadline overdue by the end has been observed; a
    // round may have swept as of lastNow already, and the sweep runs again all the same.
    const final = await runJob({ store: t.store, clock: () => new Date() }, deadlineSweep, lastNow);
    expect(final.ran).toBe(true);

    requests += log.length;
    for (const sent of log) statusCounts.set(sent.result.status, (statusCounts.get(sent.result.status) ?? 0) + 1);
    await check(t, app, world.keys.auditor.key, orgs, log, outcomes, final, lastNow);
  } finally {
    t.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// The checks

const withoutContent = (body: any) => (body && typeof body === 'object' ? { ...body, content: undefined, updatedAt: undefined } : body);

async function check(
  t: TempDb, app: Awaited<ReturnType<typeof httpWorld>>['app'], auditorKey: string, orgs: OrgWorld[], log: Sent[],
  outcomes: Array<Record<string, JobOutcome>>, final: JobOutcome, lastNow: Date,
) {
  const db = t.store.db;
  const history = new Map<string, ChainedEvent[]>();
  for (const org of orgs) for (const item of org.items) history.set(item.id, await subjectHistory(db, org.orgId, item.id));

  // (c) Every answer is 2xx or a documented 4xx, for a reason the request or the race explains.
  for (const sent of log) {
    const { status, json, text } = sent.result;
    const what = `${sent.client} ${JSON.stringify(sent.event)} If-Match ${sent.ifMatch} key ${sent.idem} → ${status} ${text.slice(0, 300)}`;
    expect(status, what).toBeLessThan(500);
    const roleMay = (itemEventRoles[sent.event.type] as readonly string[]).includes(sent.role);
    if (!roleMay) {
      expect(status, what).toBe(403);
      continue;
    }
    expect([200, 409, 412, 422], what).toContain(status);
    if (status === 412) {
      expect(sent.ifMatch, what).not.toBeNull();
      expect(json.currentVersion, what).not.toBe(sent.ifMatch);
    }
    if (status === 409) expect(json.allowedEvents !== undefined || json.rule !== undefined, what).toBe(true);
    if (status === 422) expect(sent.idem, what).not.toBeNull();
  }

  // Idempotency: per key and Idempotency-Key, the first request decides; the same request again
  // answers exactly the same (an item's content may since have been thinned away), another
  // request under that key is 422, and only one of them was applied.
  const groups = new Map<string, Sent[]>();
  for (const sent of log) {
    if (sent.idem === null || sent.result.status === 403) continue;
    const id = `${sent.keyId} ${sent.idem}`;
    groups.set(id, [...(groups.get(id) ?? []), sent]);
  }
  for (const [id, group] of groups) {
    const fingerprint = (s: Sent) => JSON.stringify([s.itemId, s.event, s.ifMatch]);
    const deciding = group.filter((s) => s.result.status !== 422);
    expect(new Set(deciding.map(fingerprint)).size, `${id}: more than one request decided under one key`).toBeLessThanOrEqual(1);
    if (deciding.length === 0) continue;
    const first = deciding[0]!;
    for (const s of group) {
      if (fingerprint(s) !== fingerprint(first)) {
        expect(s.result.status, `${id}: another body under a used key`).toBe(422);
        continue;
      }
      expect(s.result.status, id).toBe(first.result.status);
      expect(withoutContent(s.result.json), id).toEqual(withoutContent(first.result.json));
    }
    if (first.result.status === 200) {
      const applied = deciding.filter((s) => s.result.headers.get('idempotent-replayed') !== 'true');
      expect(applied, `${id}: applied ${applied.length} times`).toHaveLength(1);
    }
  }

  // No lost and no doubled update: every applied 200 is the ledger event at the version it
  // answered, sent by that key; nothing but overdue deadlines came between the version it saw
  // (If-Match) and its own; and the item's client events are exactly the applied 200s.
  const applied = log.filter((s) => s.result.status === 200 && s.result.headers.get('idempotent-replayed') !== 'true');
  seen.idempotentReplays += log.filter((s) => s.result.headers.get('idempotent-replayed') === 'true').length;
  const claimed = new Set<string>();
  for (const sent of applied) {
    const version = Number(sent.result.json.version);
    const what = `${sent.client} ${JSON.stringify(sent.event)} → version ${version}`;
    expect(sent.result.headers.get('etag'), what).toBe(`"${version}"`);
    expect(claimed.has(`${sent.itemId} ${version}`), `two 200s claim ${what}`).toBe(false);
    claimed.add(`${sent.itemId} ${version}`);
    const events = history.get(sent.itemId)!;
    const event = events[version - 1];
    expect(event, what).toBeDefined();
    expect({ seq: event!.seq, type: event!.type, actor: event!.actor }, what).toEqual({
      seq: version, type: sent.event.type, actor: { keyId: sent.keyId, role: sent.role },
    });
    expect(event!.to, what).toEqual(sent.result.json.state);
    if (sent.ifMatch !== null) {
      expect(version, what).toBeGreaterThan(sent.ifMatch);
      for (const between of events.slice(sent.ifMatch, version - 1)) {
        expect({ type: between.type, role: between.actor.role }, `${what}: lost update over If-Match ${sent.ifMatch}`).toEqual({
          type: 'DEADLINE_BREACHED', role: 'system',
        });
      }
    }
  }

  for (const org of orgs) {
    for (const item of org.items) {
      const events = history.get(item.id)!;
      // (b) Versions 1..version, once each.
      const stored = await call(app, 'GET', `/v1/items/${item.id}`, { key: org.keys.auditor.key });
      expect(stored.status).toBe(200);
      const version = Number(stored.json.version);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      const clientEvents = events.filter((e) => e.seq > 1 && e.actor.role !== 'system');
      expect(clientEvents.length, `${item.id}: client events in the ledger vs applied 200s`).toBe(
        applied.filter((s) => s.itemId === item.id).length,
      );
      // Only the system writes breaches and scheduled THINs, and no client writes DEADLINE_BREACHED.
      for (const e of events.filter((e) => e.actor.role === 'system')) expect(['DEADLINE_BREACHED', 'THIN']).toContain(e.type);
      // Every breach once: one event per deadline kind at most, and one for every breached row.
      const breaches = events.filter((e) => e.type === 'DEADLINE_BREACHED');
      seen.breaches += breaches.length;
      seen.scheduledThins += events.filter((e) => e.type === 'THIN' && e.actor.role === 'system').length;
      const kinds = breaches.map((e) => String(e.payload.deadline));
      expect(new Set(kinds).size, `${item.id}: a deadline breached twice: ${kinds}`).toBe(kinds.length);
      const rows = await db.select().from(deadlines).where(eq(deadlines.itemId, item.id));
      for (const deadline of rows) {
        const matching = breaches.filter((e) => e.payload.deadline === deadline.kind && e.payload.dueAt === deadline.dueAt);
        expect(matching.length, `${item.id} ${deadline.kind} ${deadline.status}`).toBe(deadline.status === 'breached' ? 1 : 0);
        // After the final sweep, nothing overdue is left open.
        if (deadline.status === 'open') expect(deadline.dueAt > lastNow.toISOString(), `${item.id} ${deadline.kind} still open`).toBe(true);
      }
      // (a) The stored state is the serial replay of the ledger, in-process and over HTTP.
      const replay = await replayItem(db, org.orgId, item.id, new Date('2100-01-01T00:00:00Z'));
      expect(replay, JSON.stringify(replay)).toMatchObject({ matchesStored: true, eventsApplied: version });
      expect(replay?.state).toEqual(stored.json.state);
      const overHttp = await call(app, 'GET', `/v1/items/${item.id}/replay`, { key: org.keys.auditor.key });
      expect(overHttp.json, overHttp.text).toMatchObject({ matchesStored: true, eventsApplied: version, status: stored.json.status });
    }
    // (b) The organisation's chain positions run 1..head without gaps or repeats.
    const positions = (await db.select({ orgSeq: ledgerEvents.orgSeq }).from(ledgerEvents).where(eq(ledgerEvents.orgId, org.orgId)))
      .map((r) => r.orgSeq).sort((a, b) => a - b);
    const [head] = await db.select().from(organisations).where(eq(organisations.id, org.orgId));
    expect(positions).toEqual(Array.from({ length: head!.ledgerSeq }, (_, i) => i + 1));
  }

  // Jobs: each run that ran left one run row, and no lease is left behind.
  const ran = outcomes.flatMap((o) => Object.values(o)).filter((o) => o.ran).length + (final.ran ? 1 : 0);
  jobRunsTotal += ran;
  expect(await db.$count(jobRuns)).toBe(ran);
  expect(await db.select().from(jobLeases)).toEqual([]);

  // (d) The ledger verifies, in-process and over HTTP.
  expect(await verifyLedger(db)).toMatchObject({ ok: true, breaks: [] });
  const verified = await call(app, 'GET', '/v1/audit/verify', { key: auditorKey });
  expect(verified.json).toMatchObject({ ok: true, breaks: [] });
}

// ---------------------------------------------------------------------------------------------

describe('random interleavings of clients and schedules on the same items', () => {
  afterAll(() => {
    console.log(
      `interleavings: ${interleavings} tried, ${requests} requests (${[...statusCounts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ')}), ${jobRunsTotal} job runs, ${seen.breaches} breaches, ${seen.scheduledThins} scheduled THINs, ${seen.idempotentReplays} idempotent replays`,
    );
  });

  it('keeps every item equal to the replay of its ledger, every version once, every answer explained, the ledger intact', async () => {
    const started = Date.now();
    stopAt = started + budgetMs;
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: Number(process.env.DIARIUM_INTERLEAVINGS ?? 1_000) });
    // The budget is a floor too: on a slow machine at least a handful of interleavings must fit.
    expect(interleavings).toBeGreaterThanOrEqual(5);
    expect(Date.now() - started).toBeLessThan(budgetMs + 20_000);
  }, 120_000);
});
