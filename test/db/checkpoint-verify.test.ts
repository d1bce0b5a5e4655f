// What a checkpoint kept outside the database proves that plain verification cannot: an insider
// with write access rewrites an organisation's whole history consistently (every hash and the
// head recomputed) or removes its newest events; the chain still verifies, the checkpoint does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/client.ts';
import { makeCheckpoint, type Checkpoint, type CheckpointSettings } from '../../db/ledger/checkpoints.ts';
import { eventHash, rowToEvent } from '../../db/ledger/ledger.ts';
import { createSigningKeyFile, loadSigningKey } from '../../db/ledger/signing-key.ts';
import { verifyAgainstCheckpoint } from '../../db/ledger/verify-checkpoint.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { Organisation } from '../../db/organisations.ts';
import { ledgerEvents } from '../../db/schema.ts';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { activeAccount, officer, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('verification against a kept checkpoint', () => {
  let t: TempDb;
  let keyDir: string;
  let settings: CheckpointSettings;
  let org: Organisation;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    keyDir = mkdtempSync(join(tmpdir(), 'diarium-key-'));
    createSigningKeyFile(join(keyDir, 'ledger.key'));
    settings = { signer: loadSigningKey(join(keyDir, 'ledger.key')), everyEvents: 1000, everyMinutes: 60 };
    org = await organisation(t.store, 'tibro');
    accountId = (await activeAccount(t.store, org)).id;
  });
  afterEach(() => {
    t.cleanup();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

  async function items(n: number) {
    const made = [];
    for (let i = 0; i < n; i++) made.push(await receivedItem(t.store, org, accountId));
    return made;
  }

  async function checkpoint(): Promise<Checkpoint> {
    const result = await makeCheckpoint(t.store, settings, org.id, new Date(t0.getTime() + 3_600_000));
    if (!result.ok) throw new Error(result.detail);
    // Kept outside the database, as an auditor keeps it: a copy of the JSON.
    return JSON.parse(JSON.stringify(result.checkpoint)) as Checkpoint;
  }

  const verify = (kept: Checkpoint) => verifyAgainstCheckpoint(t.store, org, kept, settings.signer!.keyId);

  /** The insider: edits one event's payload, then recomputes every hash after it and the head. */
  async function rewriteHistoryFrom(orgSeq: number) {
    const rows = await t.store.db.select().from(ledgerEvents).where(eq(ledgerEvents.orgId, org.id)).orderBy(asc(ledgerEvents.orgSeq));
    let prevHash = rows[orgSeq - 2]!.hash;
    for (const row of rows.slice(orgSeq - 1)) {
      const event = rowToEvent(row);
      const payload = row.orgSeq === orgSeq ? { ...event.payload, text: 'rewritten' } : event.payload;
      const hash = eventHash({ ...event, payload, prevHash });
      await sql('update ledger_events set payload = ?, prev_hash = ?, hash = ? where org_id = ? and org_seq = ?',
        [JSON.stringify(payload), prevHash, hash, org.id, row.orgSeq]);
      prevHash = hash;
    }
    await sql('update organisations set ledger_head = ? where id = ?', [prevHash, org.id]);
  }

  /** The thorough insider also rebuilds the Merkle tree from the rewritten chain and drops the stored checkpoints. */
  async function rebuildTreeAndDropCheckpoints() {
    await sql('delete from ledger_nodes where org_id = ?', [org.id]);
    await sql(`update organisations set ledger_frontier = '[]' where id = ?`, [org.id]);
    await sql('delete from ledger_checkpoints where org_id = ?', [org.id]);
    await migrateDatabase(t.store);
  }

  it('holds for an untouched ledger, also after it has grown', async () => {
    await items(5);
    const kept = await checkpoint();
    expect(await verify(kept)).toMatchObject({ ok: true, signature: 'valid', signedByServerKey: true, extends: true, rootAtSize: kept.rootHash });
    await items(7);
    const later = await verify(kept);
    expect(later).toMatchObject({ ok: true, extends: true, reason: null, firstDifference: null });
    expect(later.events).toBe(kept.size + 7);
  });

  it('a consistent rewrite of the whole history verifies as intact, but not against a checkpoint saved before; the stored leaves name the first event that differs', async () => {
    const made = await items(6);
    await applyItemEvent(t.store, { orgId: org.id, itemId: made[0]!.id, actor: officer, event: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' }, ifMatch: null, idempotency: null, now: t0 });
    const kept = await checkpoint();
    await items(2);
    await rewriteHistoryFrom(4);

    expect(await verifyLedger(t.store.db, org.id)).toMatchObject({ ok: true, breaks: [] });
    const report = await verify(kept);
    expect(report.ok).toBe(false);
    expect(report.chain.ok).toBe(true);
    expect(report.rootAtSize).not.toBe(kept.rootHash);
    expect(report.reason).toMatch(/rewritten/);
    const [fourth] = (await sql('select subject_id, seq, type from ledger_events where org_id = ? and org_seq = 4', [org.id])).rows;
    expect(report.firstDifference).toEqual({ orgSeq: 4, subject: 'item', subjectId: fourth![0], seq: fourth![1], type: fourth![2], exact: true, upTo: 4 });
  });

  it('catches a rewrite whose author also rebuilt the Merkle tree and dropped the stored checkpoints', async () => {
    await items(6);
    const kept = await checkpoint();
    await rewriteHistoryFrom(5);
    await rebuildTreeAndDropCheckpoints();

    expect((await verifyLedger(t.store.db, org.id)).ok).toBe(true);
    const report = await verify(kept);
    expect(report).toMatchObject({ ok: false, signature: 'valid', extends: false });
    expect(report.reason).toMatch(/rewritten/);
    // Only the root is known to differ: the first event that may differ is the first, up to the checkpoint's size.
    expect(report.firstDifference).toMatchObject({ orgSeq: 1, exact: false, upTo: kept.size });
  });

  it('narrows the first difference with the database\'s own signed checkpoints when the tree was rebuilt', async () => {
    await items(2);
    const early = await checkpoint();
    await items(4);
    const kept = await checkpoint();
    await rewriteHistoryFrom(early.size + 1);
    await sql('delete from ledger_nodes where org_id = ?', [org.id]);
    await sql(`update organisations set ledger_frontier = '[]' where id = ?`, [org.id]);
    await migrateDatabase(t.store);
    const report = await verify(kept);
    expect(report.ok).toBe(false);
    expect(report.firstDifference).toMatchObject({ orgSeq: early.size + 1, exact: false, upTo: kept.size });
  });

  it('catches the newest events deleted after a checkpoint, head moved back: plain verification says intact', async () => {
    await items(6);
    const kept = await checkpoint();
    const { rows: [newHead] } = await sql('select org_seq, hash from ledger_events where org_id = ? and org_seq = ?', [org.id, kept.size - 2]);
    await sql('delete from ledger_events where org_id = ? and org_seq > ?', [org.id, kept.size - 2]);
    await sql('update organisations set ledger_seq = ?, ledger_head = ? where id = ?', [Number(newHead![0]), newHead![1] as string, org.id]);

    expect(await verifyLedger(t.store.db, org.id)).toMatchObject({ ok: true });
    const report = await verify(kept);
    expect(report).toMatchObject({ ok: false, events: kept.size - 2, rootAtSize: null, firstDifference: { orgSeq: kept.size - 1, missing: true } });
    expect(report.reason).toMatch(/removed/);
  });

  it('refuses a checkpoint whose signed fields were changed, and one signed by another key', async () => {
    await items(3);
    const kept = await checkpoint();
    expect(await verify({ ...kept, size: kept.size - 1 })).toMatchObject({ ok: false, signature: 'invalid' });
    const otherDir = mkdtempSync(join(tmpdir(), 'diarium-key-'));
    const other = createSigningKeyFile(join(otherDir, 'k'));
    rmSync(otherDir, { recursive: true, force: true });
    const forged = { ...kept, keyId: other.keyId, publicKey: other.publicKey, signature: other.sign('{}') };
    expect(await verify(forged)).toMatchObject({ ok: false, signature: 'invalid', signedByServerKey: false });
  });

  it('signs nothing without a key, and nothing new while the ledger has not grown', async () => {
    await items(1);
    expect(await makeCheckpoint(t.store, { ...settings, signer: null }, org.id, t0)).toMatchObject({ ok: false, code: 'no_key' });
    const first = await makeCheckpoint(t.store, settings, org.id, t0);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(await makeCheckpoint(t.store, settings, org.id, t0)).toMatchObject({ ok: true, created: false });
    await items(1);
    // Due: one event more, but neither 1000 events nor 60 minutes since.
    expect(await makeCheckpoint(t.store, settings, org.id, new Date(t0.getTime() + 60_000), 'due')).toMatchObject({ ok: true, created: false });
    expect(await makeCheckpoint(t.store, settings, org.id, new Date(t0.getTime() + 3_600_000), 'due')).toMatchObject({ ok: true, created: true });
  });
});
