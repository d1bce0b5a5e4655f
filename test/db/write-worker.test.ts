// The write worker (db/write/worker/): item events and ingests committed by a thread of their own
// on a connection of its own, answered only after their commit, with the guarantees of the one
// write path — per-item order, If-Match, idempotency, the hash chain — and nothing lost or doubled
// when the thread is stopped while a group is in flight.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Store } from '../../db/client.ts';
import { ingestItem } from '../../db/items/items.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { Organisation } from '../../db/organisations.ts';
import { applyItemEvent, type ItemEventResult } from '../../db/write/apply-item-event.ts';
import { startWriteWorker, WriteWorkerStopped } from '../../db/write/worker/write-worker-client.ts';
import type { WorkerSettings } from '../../db/write/worker/write-worker.ts';
import type { ItemEventBody } from '../../machines/item.events.ts';
import { activeAccount, integrator, organisation, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

const crashingWorker = new URL('../helpers/crashing-write-worker.mjs', import.meta.url);
const later = (ms: number) => new Date(t0.getTime() + ms);
const hold: ItemEventBody = { type: 'HOLD', reason: 'Awaiting a reply from the library' };
const release: ItemEventBody = { type: 'RELEASE_HOLD', reason: 'The library answered' };

describe('the write worker', () => {
  let t: TempDb;
  let worker: Store;
  let org: Organisation;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
    worker = await openDatabase(t.url, undefined, { writeWorker: true });
  });
  afterEach(() => {
    worker.close();
    t.cleanup();
  });

  const ingest = (store: Store, n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) => ingestItem(store, {
    orgId: org.id, actor: integrator, now: later(i),
    item: { accountId, externalId: `${prefix}-${i}`, kind: 'comment', direction: 'inbound', author: { handle: 'resident' }, text: `Question ${i}` },
  })));

  const ids = (results: Awaited<ReturnType<typeof ingest>>) => results.map((r) => {
    if (!r.ok) throw new Error(r.detail);
    return r.item.id;
  });

  const step = (store: Store, itemId: string, event: ItemEventBody, options: { ifMatch?: number | null; key?: string; at?: number } = {}) =>
    applyItemEvent(store, {
      orgId: org.id, itemId, actor: registrar, event, ifMatch: options.ifMatch ?? null,
      idempotency: options.key ? { key: options.key, fingerprint: sha256(canonicalJson({ itemId, event, ifMatch: options.ifMatch ?? null })) } : null,
      now: later(60_000 + (options.at ?? 0)),
    });

  it('runs the commands in its own thread, not through the main thread\'s write queue', async () => {
    expect(worker.worker).not.toBeNull();
    let queued = 0;
    const run = worker.writes.run.bind(worker.writes);
    worker.writes.run = (...args) => {
      queued++;
      return run(...args);
    };
    const [id] = ids(await ingest(worker, 1, 'thread'));
    expect((await step(worker, id!, hold)).ok).toBe(true);
    expect(queued).toBe(0);
    // The main thread's own connection reads what the worker committed before it answered.
    expect((await subjectHistory(t.store.db, org.id, id!)).map((e) => e.type)).toEqual(['RECEIVED', 'HOLD']);
  });

  it('gives the answers the process gives without a worker, ingest and event alike', async () => {
    const [here] = await ingest(t.store, 1, 'same');
    const [there] = await ingest(worker, 1, 'same');
    // The same external id: the worker finds the item the process made.
    expect(there).toEqual({ ...here, created: false });
    const id = ids([here!])[0]!;
    const viaWorker = await step(worker, id, hold, { ifMatch: 1 });
    expect(viaWorker.ok && viaWorker.item.version).toBe(2);
    // If-Match against the worker's commit, from the process: 412 with the current version.
    expect(await step(t.store, id, release, { ifMatch: 1 })).toMatchObject({ ok: false, code: 'precondition_failed', current: 2 });
    const inProcess = await step(t.store, id, release, { ifMatch: 2 });
    const released = await step(worker, id, hold, { ifMatch: 3 });
    expect(inProcess.ok && released.ok && Object.keys(released.item).sort()).toEqual(inProcess.ok && Object.keys(inProcess.item).sort());
    expect(released.ok && released.item.version).toBe(4);
  });

  it('keeps per-item order, idempotency and the chain under concurrent groups', async () => {
    const items = ids(await ingest(worker, 120, 'order'));
    // Four rounds of HOLD / RELEASE_HOLD per item, each round sent all at once, every second request twice with its key.
    for (let round = 0; round < 4; round++) {
      const event = round % 2 === 0 ? hold : release;
      const sent = items.flatMap((id, i) => {
        const key = `r${round}-${id}`;
        const first = step(worker, id, event, { ifMatch: round + 1, key, at: round });
        return i % 2 === 0 ? [first] : [first, step(worker, id, event, { ifMatch: round + 1, key, at: round })];
      });
      const results = await Promise.all(sent);
      expect(results.every((r) => r.ok)).toBe(true);
      const replayed = results.filter((r) => r.ok && r.replayed).length;
      expect(replayed).toBe(items.length / 2);
      for (const r of results) expect(r.ok && r.item.version).toBe(round + 2);
    }
    for (const id of items.slice(0, 10)) {
      expect((await subjectHistory(t.store.db, org.id, id)).map((e) => e.type)).toEqual(['RECEIVED', 'HOLD', 'RELEASE_HOLD', 'HOLD', 'RELEASE_HOLD']);
    }
    const report = await verifyLedger(t.store.db, org.id);
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThanOrEqual(1 + 120 * 5);
  });

  it('loses and doubles nothing when its thread ends between a group\'s writes and its commit, and starts again', async () => {
    const items = ids(await ingest(worker, 600, 'crash'));
    // The first flush of the crashing worker's second group: the first group commits and answers.
    const crashing = { ...worker, worker: await startWriteWorker({ url: t.url, crashAtFlush: 2 } as WorkerSettings, crashingWorker) };
    const outcomes: Array<{ id: string; result?: ItemEventResult; error?: unknown }> = [];
    const thread = crashing.worker.thread;
    const sent: Promise<void>[] = [];
    for (let wave = 0; wave < 6; wave++) {
      for (const id of items.slice(wave * 100, wave * 100 + 100)) {
        sent.push(step(crashing, id, hold, { key: `crash-${id}` }).then(
          (result) => void outcomes.push({ id, result }),
          (error: unknown) => void outcomes.push({ id, error }),
        ));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(sent);
    const acknowledged = outcomes.filter((o) => o.result);
    const lost = outcomes.filter((o) => o.error);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    for (const o of lost) expect(o.error).toBeInstanceOf(WriteWorkerStopped);
    // Every acknowledged step is durable; nothing of the group that never committed is.
    for (const o of acknowledged) {
      expect(o.result!.ok && o.result!.item.version).toBe(2);
      expect((await subjectHistory(t.store.db, org.id, o.id)).map((e) => e.type)).toEqual(['RECEIVED', 'HOLD']);
    }
    for (const o of lost) expect((await subjectHistory(t.store.db, org.id, o.id)).map((e) => e.type)).toEqual(['RECEIVED']);
    // A retry with the same key, through the worker started in its place: applied once.
    const retried = await Promise.all(lost.map((o) => step(crashing, o.id, hold, { key: `crash-${o.id}` })));
    expect(retried.every((r) => r.ok && !r.replayed && r.item.version === 2)).toBe(true);
    expect(crashing.worker.thread).not.toBe(thread);
    for (const id of items) expect((await subjectHistory(t.store.db, org.id, id)).map((e) => e.type)).toEqual(['RECEIVED', 'HOLD']);
    expect((await verifyLedger(t.store.db, org.id)).ok).toBe(true);
    await crashing.worker.close();
  });
});
