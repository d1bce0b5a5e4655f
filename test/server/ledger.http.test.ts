// Checkpoints and proofs over HTTP: the public checkpoint with its key and cache headers, the
// register page showing it, /health without a key, the history unchanged without ?proof and with
// inclusion proofs that check against the signed root with it, consistency proofs for auditors,
// and the auditors' checkpoints page checking a pasted checkpoint before and after a rewrite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointSignatureValid, makeCheckpoint, noKeyDetail, type CheckpointSettings } from '../../db/ledger/checkpoints.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../db/ledger/merkle.ts';
import { createSigningKeyFile } from '../../db/ledger/signing-key.ts';
import { createApp } from '../../server/app.ts';
import { t0 } from '../helpers/fixtures.ts';
import { activeAccountOverHttp, call, expectProblem, httpWorld, ingest, step, type HttpWorld } from '../helpers/http.ts';
import { getPage, postForm, signIn } from '../helpers/pages.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('ledger checkpoints and proofs over HTTP', () => {
  let t: TempDb;
  let keyDir: string;
  let settings: CheckpointSettings;
  let w: HttpWorld;
  let accountId: string;

  beforeEach(async () => {
    t = await tempDb();
    keyDir = mkdtempSync(join(tmpdir(), 'diarium-key-'));
    settings = { signer: createSigningKeyFile(join(keyDir, 'ledger.key')), everyEvents: 1000, everyMinutes: 60 };
    w = await httpWorld(t, 'tibro');
    w.app = createApp({ store: t.store, clock: () => w.clock.now, checkpoints: settings }, () => {});
    accountId = await activeAccountOverHttp(w);
  });
  afterEach(() => {
    t.cleanup();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const sign = async () => {
    const made = await makeCheckpoint(t.store, settings, w.org.id, w.clock.now);
    if (!made.ok) throw new Error(made.detail);
    return made.checkpoint;
  };

  it('publishes the latest checkpoint and the key without an API key, cacheable, and shows it on the register page', async () => {
    const before = await call(w.app, 'GET', '/v1/orgs/tibro/ledger/checkpoint');
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ org: 'tibro', checkpoint: null, algorithm: 'Ed25519', publicKey: settings.signer!.publicKey });
    await ingest(w, accountId);
    const signed = await sign();
    const after = await call(w.app, 'GET', '/v1/orgs/tibro/ledger/checkpoint');
    expect(after.headers.get('cache-control')).toBe('public, max-age=60');
    expect(after.json.checkpoint).toEqual(signed);
    expect(checkpointSignatureValid(after.json.checkpoint)).toBe(true);
    expectProblem(await call(w.app, 'GET', '/v1/orgs/nowhere/ledger/checkpoint'), 404);
    const page = await call(w.app, 'GET', '/v1/orgs/tibro/channels?format=html');
    expect(page.text).toContain('id="ledger-checkpoint"');
    expect(page.text).toContain(signed.rootHash);
    expect(page.text).not.toMatch(/<script|<style|style=/);
  });

  it('says on /health that a server without a key signs no checkpoints, and keeps ok', async () => {
    const without = createApp({ store: t.store, clock: () => w.clock.now }, () => {});
    expect((await call(without, 'GET', '/health')).json).toEqual({ ok: true, checkpoints: { signing: false, detail: noKeyDetail } });
    expect((await call(w.app, 'GET', '/health')).json).toEqual({ ok: true, checkpoints: { signing: true, keyId: settings.signer!.keyId } });
    expect((await call(without, 'GET', '/v1/orgs/tibro/ledger/checkpoint')).json).toMatchObject({ publicKey: null, keyId: null });
  });

  it('keeps the history as API.md says without ?proof, and with ?proof=true proves each event against the latest checkpoint', async () => {
    const item = await ingest(w, accountId);
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    const plain = await call(w.app, 'GET', `/v1/items/${item.id}/history`, { key: w.keys.auditor.key });
    expect(Object.keys(plain.json)).toEqual(['events']);
    for (const e of plain.json.events) expect(Object.keys(e).sort()).toEqual(['actor', 'at', 'from', 'hash', 'machine', 'payload', 'prevHash', 'seq', 'to', 'type']);

    const withoutCheckpoint = await call(w.app, 'GET', `/v1/items/${item.id}/history?proof=true`, { key: w.keys.officer.key });
    expect(withoutCheckpoint.json.checkpoint).toBeNull();
    expect(withoutCheckpoint.json.events.map((e: { proof: unknown }) => e.proof)).toEqual([null, null]);

    const signed = await sign();
    await step(w, 'officer', item.id, { type: 'ANSWER', text: 'At ten.' });
    const proved = await call(w.app, 'GET', `/v1/items/${item.id}/history?proof=true`, { key: w.keys.officer.key });
    expect(proved.status).toBe(200);
    expect(proved.json.checkpoint).toEqual(signed);
    const [received, assessed, answered] = proved.json.events;
    for (const e of [received, assessed]) {
      expect(e.proof.leafHash).toBe(leafHash(e.hash));
      expect(e.proof.treeSize).toBe(signed.size);
      expect(verifyInclusion(e.proof.leafHash, e.proof.leafIndex, signed.size, e.proof.path, signed.rootHash)).toBe(true);
    }
    expect(answered.proof).toBeNull();
    expectProblem(await call(w.app, 'GET', `/v1/items/${item.id}/history?proof=yes`, { key: w.keys.officer.key }), 400);
  });

  it('gives auditors and admins consistency proofs between two sizes; refuses other roles and sizes beyond the ledger', async () => {
    await ingest(w, accountId);
    const first = await sign();
    for (let i = 0; i < 5; i++) await ingest(w, accountId);
    w.clock.now = new Date(t0.getTime() + 3_600_000);
    const second = await sign();
    const result = await call(w.app, 'GET', `/v1/audit/consistency?from=${first.size}&to=${second.size}`, { key: w.keys.auditor.key });
    expect(result.status, result.text).toBe(200);
    expect(result.json).toMatchObject({ from: first.size, to: second.size, fromRoot: first.rootHash, toRoot: second.rootHash });
    expect(verifyConsistency(first.size, first.rootHash, second.size, second.rootHash, result.json.proof)).toBe(true);
    expect((await call(w.app, 'GET', `/v1/audit/consistency?from=2&to=2`, { key: w.keys.admin.key })).json.proof).toEqual([]);
    expectProblem(await call(w.app, 'GET', `/v1/audit/consistency?from=1&to=2`, { key: w.keys.officer.key }), 403);
    expectProblem(await call(w.app, 'GET', `/v1/audit/consistency?from=3&to=2`, { key: w.keys.auditor.key }), 400);
    expectProblem(await call(w.app, 'GET', `/v1/audit/consistency?from=1&to=${second.size + 1}`, { key: w.keys.auditor.key }), 400);
    expectProblem(await call(w.app, 'GET', `/v1/audit/consistency?from=0&to=2`, { key: w.keys.auditor.key }), 400);
  });

  it('the checkpoints page lists signatures and checks a pasted checkpoint: one kept holds, an altered one is refused', async () => {
    for (let i = 0; i < 3; i++) await ingest(w, accountId);
    const kept = await sign();
    const session = await signIn(w.app, w.keys.auditor.key);
    const list = await getPage(w.app, session, '/audit/checkpoints');
    expect(list.status).toBe(200);
    expect(list.html).toContain(kept.rootHash);
    expect(list.html).toContain('data-signature="valid"');
    expect((await getPage(w.app, session, '/audit')).html).toContain('href="/audit/checkpoints"');

    const holds = await postForm(w.app, session, '/audit/checkpoints', { checkpoint: JSON.stringify(kept) });
    expect(holds.status).toBe(200);
    expect(holds.html).toContain('data-checkpoint="holds"');

    // A checkpoint whose root was altered after signing.
    const broken = await postForm(w.app, session, '/audit/checkpoints', { checkpoint: JSON.stringify({ ...kept, rootHash: 'f'.repeat(64) }) });
    expect(broken.html).toContain('data-checkpoint="broken"');
    expect(broken.html).toContain('signature does not verify');

    const notJson = await postForm(w.app, session, '/audit/checkpoints', { checkpoint: 'hello' });
    expect(notJson.status).toBe(400);
    expect(notJson.html).toContain('not JSON');
    const officer = await signIn(w.app, w.keys.officer.key);
    expect((await getPage(w.app, officer, '/audit/checkpoints')).status).toBe(403);
  });

  it('the audit export carries the latest checkpoint and each event\'s inclusion proof in its tree', async () => {
    const item = await ingest(w, accountId);
    const kept = await sign();
    await step(w, 'officer', item.id, { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' });
    const session = await signIn(w.app, w.keys.auditor.key);
    const exported = await getPage(w.app, session, `/audit/export?itemId=${item.id}`);
    expect(exported.status).toBe(200);
    const files = unzipSync(exported.bytes);
    const ledger = JSON.parse(strFromU8(files['ledger-proofs.json']!));
    expect(ledger.checkpoint).toEqual(kept);
    const [received, assessed] = ledger.events;
    expect(verifyInclusion(leafHash(received.hash), received.proof.leafIndex, kept.size, received.proof.path, kept.rootHash)).toBe(true);
    expect(assessed.proof).toBeNull();
    expect(JSON.parse(strFromU8(files['manifest.json']!)).files.map((f: { path: string }) => f.path)).toContain('ledger-proofs.json');
  });
});
