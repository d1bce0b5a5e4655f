// Issue 7, point 1 (crash safety): the server, started as the README starts it (`npm start` on a
// file database), is killed with SIGKILL at random moments while clients send item events
// (If-Match + Idempotency-Key) and ingests, and started again on the same file, CRASH_CYCLES times
// (default 10). The README's promises under test: "a response is sent only after its commit"
// (db/write/write-queue.ts), `Idempotency-Key` → applied once (API.md), the hash chain verifies, replay
// matches the stored snapshot, and a deadline is breached "exactly once" (README, Deadlines).
//
// Every write the clients send carries a unique marker (the ingest's externalId and text, the
// HOLD/RELEASE_HOLD reason, the ASSESS note, which the content store keeps), so after the last
// restart the database file, opened read-only, tells for each request whether it was applied and
// how often:
//   (a) every 2xx is in the ledger, at the version it acknowledged;
//   (b) nothing is there twice, a refusal (4xx) is not there at all, per item seq runs 1..version;
//   (c) the ledger verifies, over HTTP and with `diarium verify`;
//   (d) every item's stored snapshot equals the replay of its history;
//   (e) at most one DEADLINE_BREACHED per item and deadline kind, one per breached deadline row;
// and unanswered requests retried with the same Idempotency-Key after a restart apply at most once.
//
// CRASH_CYCLES (10) and CRASH_SEED (random, printed) reproduce a run's shape; the kill instants
// still depend on the machine's speed.
import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCrashableServer, type CrashableServer } from '../helpers/crashable-server.ts';
import { diarium } from '../helpers/processes.ts';

const cycles = Number(process.env.CRASH_CYCLES ?? 10);
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Concurrent clients: enough to keep several writes in every group commit on two shared cores. */
const workers = 8;
/** Load before the kill, ms: from "while the catch-up sweep still runs" to a few seconds in. */
const loadMs = { min: 300, max: 2_500 };
/** Unanswered requests retried after each restart. */
const retriesPerCycle = 6;
/** Items received long ago, so their assess deadline is already past: breaches happen at once. */
const oldItems = 24;
const dayMs = 24 * 60 * 60 * 1000;

// mulberry32: a small seeded generator, so CRASH_SEED replays the same choices.
function generator(start: number) {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

type Role = 'admin' | 'integrator' | 'officer' | 'registrar' | 'auditor';

/** One write as the client sent it, and what came back. */
interface WriteRecord {
  kind: 'ingest' | 'event';
  marker: string;
  cycle: number;
  role: Role;
  path: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** null: no complete answer (connection cut by the kill, or timed out). */
  status: number | null;
  /** From a 2xx: the item and the version it acknowledged. */
  itemId?: string;
  version?: number;
  replayed?: boolean;
  /** For events: the item the event was sent to and its type. */
  target?: string;
  type?: string;
  /** The original request, when this one is its retry after a restart. */
  retryOf?: WriteRecord;
}

interface HttpResult {
  status: number;
  headers: Headers;
  json: any;
}

describe('SIGKILL at random moments under load (issue 7, point 1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diarium-crash-'));
  const path = join(dir, 'crash.db');
  const url = `file:${path}`;
  let server: CrashableServer | null = null;

  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function http(role: Role | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const response = await fetch(server!.baseUrl + path, {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${keys[role]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      // A live server answers well within this; a request cut by the kill fails at once.
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
  }

  const keys = {} as Record<Role, string>;
  const writes: WriteRecord[] = [];
  /** Items a client may send events to: every acknowledged ingest. */
  const knownItems: string[] = [];
  const serverErrors: string[] = [];
  let accountId = '';
  /** Set while a cycle waits to kill right after the next 2xx. */
  let onAcknowledged: (() => void) | null = null;
  let counter = 0;

  /** Sends one write and records it, answered or not. Never throws for a cut connection. */
  async function send(record: Omit<WriteRecord, 'status'>): Promise<WriteRecord> {
    const full: WriteRecord = { ...record, status: null };
    writes.push(full);
    try {
      const result = await http(record.role, 'POST', record.path, record.body, record.headers);
      full.status = result.status;
      if (result.status >= 500) serverErrors.push(`${record.path} ${result.status} ${JSON.stringify(result.json)}`);
      if (result.status >= 200 && result.status < 300) {
        full.itemId = String(result.json.id);
        full.version = Number(result.json.version);
        full.replayed = result.headers.get('idempotent-replayed') === 'true';
        onAcknowledged?.();
      }
    } catch {
      // Connection reset, refused or timed out: the client cannot know whether it was applied.
    }
    return full;
  }

  function ingestRequest(cycle: number): Omit<WriteRecord, 'status'> {
    const marker = `crash-${seed}-${cycle}-${++counter}`;
    // Half are backfilled days ago, so their assess deadline is already overdue.
    const receivedAt = random() < 0.5 ? { receivedAt: new Date(Date.now() - (2 + random() * 10) * dayMs).toISOString() } : {};
    return {
      kind: 'ingest', marker, cycle, role: 'integrator', path: '/v1/items', headers: {},
      body: {
        accountId, externalId: marker, kind: 'comment', direction: 'inbound',
        author: { handle: 'resident' }, text: `When does the pool open? ${marker}`, ...receivedAt,
      },
    };
  }

  /** An event the item's chart offers now: toggling the hold, or (re)assessing it. */
  function eventRequest(cycle: number, itemId: string, item: { version: number; allowedEvents: string[] }): Omit<WriteRecord, 'status'> | null {
    const marker = `crash-${seed}-${cycle}-${++counter}`;
    const choices: Array<[Role, Record<string, unknown>]> = [];
    for (const type of ['HOLD', 'RELEASE_HOLD'] as const) {
      if (item.allowedEvents.includes(type)) choices.push(['registrar', { type, reason: marker }]);
    }
    if (item.allowedEvents.includes('ASSESS')) {
      // `required` every time: once required it cannot become not_required again (README).
      choices.push(['officer', {
        type: 'ASSESS', decision: pick(['answer', 'forward', 'no_action'] as const), categories: ['question'],
        registration: 'required', note: marker,
      }]);
    }
    if (choices.length === 0) return null;
    const [role, body] = pick(choices);
    return {
      kind: 'event', marker, cycle, role, path: `/v1/items/${itemId}/events`, body, target: itemId, type: String(body.type),
      headers: { 'if-match': `"${item.version}"`, 'idempotency-key': marker },
    };
  }

  /** One client: ingests and events, each event after reading the item, until told to stop. */
  async function client(cycle: number, running: () => boolean) {
    while (running()) {
      if (knownItems.length === 0 || random() < 0.35) {
        const done = await send(ingestRequest(cycle));
        if (done.status === 201 && done.itemId) knownItems.push(done.itemId);
        continue;
      }
      const itemId = pick(knownItems);
      let item: HttpResult;
      try {
        item = await http('officer', 'GET', `/v1/items/${itemId}`);
      } catch {
        return; // the server is gone
      }
      if (!running()) return;
      const request = eventRequest(cycle, itemId, item.json);
      if (request) await send(request);
    }
  }

  async function start() {
    server = await startCrashableServer(url);
  }

  /** Retries some of the cycle's unanswered writes exactly as sent: same key, body and headers. */
  async function retryUnanswered(cycle: number) {
    const unanswered = writes.filter((w) => w.cycle === cycle && w.status === null && !w.retryOf);
    const chosen = unanswered.sort(() => random() - 0.5).slice(0, retriesPerCycle);
    for (const original of chosen) {
      const { status: _status, itemId: _itemId, version: _version, replayed: _replayed, ...request } = original;
      const retry = await send({ ...request, retryOf: original });
      expect(retry.status, `retry of ${original.marker} after a restart`).not.toBeNull();
      if (retry.kind === 'ingest' && retry.status === 201 && retry.itemId) knownItems.push(retry.itemId);
    }
  }

  it(`keeps every acknowledged write, and no write twice, over ${cycles} SIGKILLs`, async () => {
    const began = Date.now();
    console.log(`crash test: CRASH_CYCLES=${cycles} CRASH_SEED=${seed} database ${path}`);

    // First start: the admin keys are printed once; the CLI adds the other roles (keys persist).
    await start();
    keys.admin = String(server!.lines.find((line) => line.org === 'tibro')!.key);
    for (const role of ['integrator', 'officer', 'registrar', 'auditor'] as const) {
      const made = await diarium(['keys', 'add', '--org', 'tibro', '--role', role], url);
      expect(made.code, made.stderr).toBe(0);
      keys[role] = JSON.parse(made.stdout).key;
    }
    const account = await http('admin', 'POST', '/v1/accounts', {
      platform: 'facebook', handle: 'tibrokommun', purpose: 'News', audience: 'Residents',
      responsible: { name: 'R' }, substitute: { name: 'S' }, admins: [{ name: 'A' }, { name: 'B' }],
      profile: { contact: true, moderationNotice: true },
    });
    expect(account.status, JSON.stringify(account.json)).toBe(201);
    accountId = account.json.id;
    expect((await http('admin', 'POST', `/v1/accounts/${accountId}/events`, { type: 'APPROVE' })).status).toBe(200);
    for (let i = 0; i < oldItems; i++) {
      const old = await http('integrator', 'POST', '/v1/items', {
        accountId, externalId: `old-${i}`, kind: 'comment', direction: 'inbound', author: { handle: 'resident' },
        text: `An old question ${i}`, receivedAt: new Date(Date.now() - (14 + i) * dayMs).toISOString(),
      });
      expect(old.status).toBe(201);
      knownItems.push(old.json.id);
    }

    for (let cycle = 0; cycle < cycles; cycle++) {
      if (cycle > 0) {
        await start();
        await retryUnanswered(cycle - 1);
      }
      let alive = true;
      const clients = Array.from({ length: workers }, () => client(cycle, () => alive));
      // Every third cycle a `diarium sweep` process breaches deadlines at the same time (leases,
      // compare-and-set on the deadline row); the server's own catch-up run may still be going.
      const sweep = cycle % 3 === 1 ? diarium(['sweep', '--job', 'deadlines'], url) : null;
      await new Promise((resolve) => setTimeout(resolve, loadMs.min + random() * (loadMs.max - loadMs.min)));
      if (cycle % 3 !== 0) {
        // In two cycles of three the kill follows the next acknowledgment at once: the other
        // commands of that group commit are then likely committed with their answers unsent, the
        // case the Idempotency-Key retries must find applied once. The third kills blind.
        await new Promise<void>((resolve) => {
          onAcknowledged = resolve;
          setTimeout(resolve, 2_000);
        });
        onAcknowledged = null;
      }
      alive = false; // no new requests; those in flight are cut by the kill
      await server!.kill();
      await Promise.all(clients);
      if (sweep) expect((await sweep).code).toBe(0);
      server = null;
    }

    // The last start: retry, then check everything through the API and the file.
    await start();
    await retryUnanswered(cycles - 1);
    const itemsOverHttp = await checkOverHttp();
    await server!.stop();
    server = null;
    const cli = await diarium(['verify'], url);
    expect(cli.code, `diarium verify: ${cli.stdout} ${cli.stderr}`).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, breaks: [] });
    const figures = await checkDatabase(itemsOverHttp);

    expect(serverErrors, 'no 5xx for anything a client sent (API.md)').toEqual([]);
    const answered = writes.filter((w) => w.status !== null);
    const acknowledged = writes.filter((w) => w.status !== null && w.status >= 200 && w.status < 300);
    const retries = writes.filter((w) => w.retryOf);
    const byStatus = new Map<string, number>();
    for (const w of writes) byStatus.set(String(w.status ?? 'none'), (byStatus.get(String(w.status ?? 'none')) ?? 0) + 1);
    console.log(JSON.stringify({
      crashTest: {
        seed, cyclesRun: cycles, sigkills: cycles, starts: cycles + 1,
        requestsSent: writes.length, ingests: writes.filter((w) => w.kind === 'ingest').length,
        events: writes.filter((w) => w.kind === 'event').length,
        answered: answered.length, acknowledged2xxChecked: acknowledged.length,
        unanswered: writes.length - answered.length,
        unansweredAppliedBeforeKill: figures.unansweredApplied,
        retriedAfterRestart: retries.length,
        retriesFoundAppliedBeforeKill: retries.filter((w) => w.replayed || (w.kind === 'ingest' && w.status === 200)).length,
        byStatus: Object.fromEntries(byStatus),
        itemsReplayed: itemsOverHttp.size, ledgerEvents: figures.ledgerEvents,
        deadlineBreaches: figures.breaches, seconds: Math.round((Date.now() - began) / 1000),
      },
    }));
  });

  /** (c) verify over HTTP and (d) every item's replay equals its stored snapshot. Returns the items seen. */
  async function checkOverHttp(): Promise<Map<string, { version: number; status: string; state: unknown }>> {
    const verify = await http('auditor', 'GET', '/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.json, 'GET /v1/audit/verify').toMatchObject({ ok: true, breaks: [] });

    const items = new Map<string, { version: number; status: string; state: unknown }>();
    let cursor: string | null = null;
    do {
      const page: HttpResult = await http('auditor', 'GET', `/v1/items?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      for (const item of page.json.items) items.set(item.id, { version: item.version, status: item.status, state: item.state });
      cursor = page.json.nextCursor;
    } while (cursor);

    const mismatches: unknown[] = [];
    for (const [id, listed] of items) {
      const [stored, replay] = await Promise.all([http('auditor', 'GET', `/v1/items/${id}`), http('auditor', 'GET', `/v1/items/${id}/replay`)]);
      expect(stored.status).toBe(200);
      expect(replay.status).toBe(200);
      const same = replay.json.matchesStored === true && replay.json.eventsApplied === stored.json.version &&
        replay.json.status === stored.json.status && JSON.stringify(replay.json.state) === JSON.stringify(stored.json.state) &&
        stored.json.version === listed.version;
      if (!same) mismatches.push({ id, stored: { version: stored.json.version, status: stored.json.status, state: stored.json.state }, replay: replay.json });
    }
    // Printed whole: the assertion's diff is cut short, and these are what the lead needs.
    if (mismatches.length > 0) console.log(JSON.stringify({ replayMismatches: mismatches }));
    expect(mismatches, '(d) stored snapshot equals replay, for every item').toEqual([]);
    return items;
  }

  /** (a), (b), (e) and the retries, from the database file opened read-only. */
  async function checkDatabase(itemsOverHttp: Map<string, { version: number }>) {
    const db = createClient({ url });
    await db.execute('PRAGMA query_only = ON');
    try {
      const items = (await db.execute('select id, external_id, version from items')).rows
        .map((row) => ({ id: String(row.id), externalId: String(row.external_id), version: Number(row.version) }));
      const events = (await db.execute("select subject_id, seq, type, payload from ledger_events where subject = 'item' order by subject_id, seq")).rows
        .map((row) => ({ itemId: String(row.subject_id), seq: Number(row.seq), type: String(row.type), payload: JSON.parse(String(row.payload)) }));
      const contents = (await db.execute('select hash, item_id, role, body from contents')).rows
        .map((row) => ({ hash: String(row.hash), itemId: String(row.item_id), role: String(row.role), body: row.body === null ? null : JSON.parse(String(row.body)) }));
      const breachedRows = Number((await db.execute("select count(*) as n from deadlines where status = 'breached'")).rows[0]!.n);

      expect(items.length, 'the API lists every item in the file').toBe(itemsOverHttp.size);

      // Where each marker landed: HOLD/RELEASE_HOLD carry it in the payload, ASSESS in its note
      // (in the content store, referred to by noteSha256), an ingest as its externalId.
      const contentByHash = new Map(contents.map((c) => [c.hash, c]));
      const landed = new Map<string, Array<{ itemId: string; seq: number; type: string }>>();
      const note = (marker: string, at: { itemId: string; seq: number; type: string }) => landed.set(marker, [...(landed.get(marker) ?? []), at]);
      for (const event of events) {
        const at = { itemId: event.itemId, seq: event.seq, type: event.type };
        if (event.type === 'HOLD' || event.type === 'RELEASE_HOLD') note(String(event.payload.reason), at);
        if (event.type === 'ASSESS') {
          const content = contentByHash.get(String(event.payload.noteSha256));
          expect(content, `the note of ${event.itemId} seq ${event.seq} is in the content store`).toBeDefined();
          note(String(content!.body!.note), at);
        }
      }
      for (const item of items) note(item.externalId, { itemId: item.id, seq: 1, type: 'RECEIVED' });

      // (b) per item: seq runs 1..version without gaps or repeats, starting with RECEIVED.
      const seqsOf = new Map<string, number[]>();
      for (const event of events) seqsOf.set(event.itemId, [...(seqsOf.get(event.itemId) ?? []), event.seq]);
      const seqProblems: unknown[] = [];
      for (const item of items) {
        const seqs = seqsOf.get(item.id) ?? [];
        const expected = Array.from({ length: item.version }, (_, i) => i + 1);
        if (JSON.stringify(seqs) !== JSON.stringify(expected)) seqProblems.push({ item: item.id, version: item.version, seqs });
      }
      expect(seqProblems, '(b) ledger seq is 1..version for every item').toEqual([]);
      expect(events.filter((e) => e.seq === 1 && e.type !== 'RECEIVED'), 'every history starts with RECEIVED').toEqual([]);

      // No orphans: a content row belongs to an existing item, an event's text to exactly one event.
      const itemIds = new Set(items.map((i) => i.id));
      expect(contents.filter((c) => !itemIds.has(c.itemId)), 'contents of items that do not exist').toEqual([]);
      const referenced = new Map<string, number>();
      for (const event of events) {
        for (const [field, value] of Object.entries(event.payload)) {
          if (field.endsWith('Sha256') && typeof value === 'string') referenced.set(value, (referenced.get(value) ?? 0) + 1);
        }
      }
      expect(contents.filter((c) => c.role === 'event' && referenced.get(c.hash) !== 1), 'event text referred to by exactly one event').toEqual([]);
      // The item text (with the ingest's marker) is stored once per item, never for a lost ingest.
      const textCount = new Map<string, number>();
      for (const c of contents) {
        const match = c.role === 'content' && typeof c.body?.text === 'string' ? /crash-\S+$/.exec(c.body.text) : null;
        if (match) textCount.set(match[0], (textCount.get(match[0]) ?? 0) + 1);
      }

      const problems: string[] = [];
      let unansweredApplied = 0;
      for (const w of writes) {
        const at = landed.get(w.marker) ?? [];
        const ok2xx = w.status !== null && w.status >= 200 && w.status < 300;
        if (at.length > 1) problems.push(`(b) ${w.marker} (${w.kind} ${w.type ?? ''}) applied ${at.length} times: ${JSON.stringify(at)}`);
        if (w.kind === 'ingest' && (textCount.get(w.marker) ?? 0) !== at.length) {
          problems.push(`(b) ${w.marker}: item text stored ${textCount.get(w.marker) ?? 0} times for ${at.length} items`);
        }
        if (ok2xx) {
          // (a) acknowledged: present, at the acknowledged item and version.
          if (at.length !== 1) problems.push(`(a) ${w.marker} got ${w.status} but is in the ledger ${at.length} times`);
          else if (w.kind === 'event' && (at[0]!.itemId !== w.target || at[0]!.seq !== w.version || at[0]!.type !== w.type)) {
            problems.push(`(a) ${w.marker} acknowledged ${w.type} at ${w.target} v${w.version}, ledger has ${JSON.stringify(at[0])}`);
          } else if (w.kind === 'ingest' && at[0]!.itemId !== w.itemId) {
            problems.push(`(a) ${w.marker} acknowledged item ${w.itemId}, ledger has ${at[0]!.itemId}`);
          }
        } else if (w.status !== null) {
          // A refusal (409, 412 …) changed nothing, unless it refused a retry of something applied before
          // the kill; then the retry must have been answered with the stored response instead.
          if (at.length !== 0) problems.push(`(b) ${w.marker} was refused with ${w.status}${w.retryOf ? ' on retry' : ''} but is in the ledger`);
        } else if (at.length === 1) {
          // Unanswered but in the ledger: applied before the kill, unless its retry was what applied it.
          const retry = writes.find((r) => r.retryOf === w);
          const appliedByRetry = retry !== undefined && (retry.kind === 'ingest' ? retry.status === 201 : retry.status === 200 && !retry.replayed);
          if (!appliedByRetry) unansweredApplied += 1;
        }
      }
      if (problems.length > 0) console.log(JSON.stringify({ problems }));
      expect(problems, 'every write applied exactly as its answer says').toEqual([]);

      // The retries: an event applied before the kill is answered from the Idempotency-Key's
      // stored response, not applied again (checked above: at most once in the ledger).
      for (const retry of writes.filter((w) => w.retryOf)) {
        const at = landed.get(retry.marker) ?? [];
        if (retry.kind === 'event' && at.length === 1) expect(retry.status, `retry of ${retry.marker}`).toBe(200);
        if (retry.kind === 'ingest') expect([200, 201]).toContain(retry.status);
      }

      // (e) one DEADLINE_BREACHED per item and deadline kind, and one per breached deadline row.
      const breaches = events.filter((e) => e.type === 'DEADLINE_BREACHED');
      const perKind = new Map<string, number>();
      for (const b of breaches) perKind.set(`${b.itemId} ${b.payload.deadline}`, (perKind.get(`${b.itemId} ${b.payload.deadline}`) ?? 0) + 1);
      expect([...perKind].filter(([, n]) => n > 1), '(e) a deadline breached twice').toEqual([]);
      expect(breaches.length, '(e) one event per breached deadline row').toBe(breachedRows);
      expect(breaches.length, 'the load made deadlines breach (old items)').toBeGreaterThan(0);

      return { ledgerEvents: events.length, breaches: breaches.length, unansweredApplied };
    } finally {
      db.close();
    }
  }
});
