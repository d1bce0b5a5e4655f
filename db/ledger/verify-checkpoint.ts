// Verification against a checkpoint kept outside the database: the signature holds, the tree the
// database's chain gives at the checkpoint's size has the signed root, and today's tree extends
// it (a consistency proof from the stored tree, checked against the root recomputed from the
// chain). Plain verification cannot catch a history rewritten consistently; this can.
import type { Store } from '../client.ts';
import { checkpointSignatureValid, listCheckpoints, type Checkpoint } from './checkpoints.ts';
import { consistencyProof, leafHash, rootOfLeaves, verifyConsistency } from './merkle.ts';
import { overStoredTree, storedTreeHead } from './merkle-store.ts';
import { verifyLedger, type LedgerBreak } from './verify.ts';

export interface EventRef {
  orgSeq: number;
  subject: string;
  subjectId: string;
  seq: number;
  type: string;
}

export interface CheckpointReport {
  ok: boolean;
  org: string;
  checkpoint: { size: number; rootHash: string; at: string; keyId: string };
  signature: 'valid' | 'invalid';
  /** Whether the checkpoint was signed by the server's current key; null when this process has none. */
  signedByServerKey: boolean | null;
  /** Events in the chain today. */
  events: number;
  /** The root of the chain's first `size` events as stored today; null when there are fewer. */
  rootAtSize: string | null;
  currentRoot: string | null;
  /** Today's tree extends the checkpoint's (a verified consistency proof). */
  extends: boolean;
  /** The plain chain verification of the same organisation. */
  chain: { ok: boolean; breaks: LedgerBreak[] };
  /**
   * The first event that differs from the history the checkpoint signed: exact where the stored
   * leaves or the database's own signed checkpoints locate it, else the first position that may
   * differ, with `upTo` the last.
   */
  firstDifference: (EventRef & { exact: boolean; upTo: number }) | { orgSeq: number; missing: true } | null;
  reason: string | null;
}

const pageSize = 20_000;

/** The chain's events in order, with their leaf hashes. */
async function readLeaves(store: Store, orgId: string): Promise<{ refs: EventRef[]; leaves: string[] }> {
  const refs: EventRef[] = [];
  const leaves: string[] = [];
  for (;;) {
    const { rows } = await store.client.execute({
      sql: 'select org_seq, subject, subject_id, seq, type, hash from ledger_events where org_id = ? and org_seq > ? order by org_seq limit ?',
      args: [orgId, refs.length, pageSize],
    });
    for (const r of rows) {
      refs.push({ orgSeq: Number(r[0]), subject: r[1] as string, subjectId: r[2] as string, seq: Number(r[3]), type: r[4] as string });
      leaves.push(leafHash(r[5] as string));
    }
    if (rows.length < pageSize) break;
  }
  return { refs, leaves };
}

async function storedLeaves(store: Store, orgId: string, upTo: number): Promise<Map<number, string>> {
  const { rows } = await store.client.execute({ sql: 'select idx, hash from ledger_nodes where org_id = ? and level = 0 and idx < ?', args: [orgId, upTo] });
  return new Map(rows.map((r) => [Number(r[0]), r[1] as string]));
}

export async function verifyAgainstCheckpoint(
  store: Store, org: { id: string; slug: string }, checkpoint: Checkpoint, serverKeyId: string | null,
): Promise<CheckpointReport> {
  const report: CheckpointReport = {
    ok: false, org: org.slug,
    checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash, at: checkpoint.at, keyId: checkpoint.keyId },
    signature: checkpointSignatureValid(checkpoint) ? 'valid' : 'invalid',
    signedByServerKey: serverKeyId === null ? null : serverKeyId === checkpoint.keyId,
    events: 0, rootAtSize: null, currentRoot: null, extends: false, chain: { ok: false, breaks: [] }, firstDifference: null, reason: null,
  };
  const fail = (reason: string) => {
    report.reason ??= reason;
  };
  if (checkpoint.org !== org.slug) fail(`the checkpoint is of organisation "${checkpoint.org}", not "${org.slug}"`);
  if (report.signature === 'invalid') fail('the signature does not verify with the checkpoint\'s public key');

  const chain = await verifyLedger(store.db, org.id);
  report.chain = { ok: chain.ok, breaks: chain.breaks };
  const { refs, leaves } = await readLeaves(store, org.id);
  report.events = leaves.length;
  report.currentRoot = rootOfLeaves(leaves);
  const size = checkpoint.size;

  if (leaves.length >= size) report.rootAtSize = rootOfLeaves(leaves.slice(0, size));
  const matches = report.rootAtSize === checkpoint.rootHash;
  if (!matches) {
    report.firstDifference = await locateDifference(store, org.id, checkpoint, refs, leaves);
    fail(leaves.length < size
      ? `the ledger holds ${leaves.length} events; the checkpoint signed ${size}: events were removed`
      : `the chain's first ${size} events do not have the signed root: the history was rewritten`);
  } else {
    // Today's tree as stored must be the chain's, and extend the checkpoint's: checked with a
    // consistency proof read from the stored nodes.
    const stored = await storedTreeHead(store.client, org.id);
    if (!stored || stored.size !== leaves.length || stored.rootHash !== report.currentRoot) {
      fail('the stored Merkle tree is not the tree of the chain');
    } else {
      const proof = size === leaves.length ? [] : await overStoredTree(store.client, org.id, (source) => consistencyProof(source, size, leaves.length));
      report.extends = verifyConsistency(size, checkpoint.rootHash, leaves.length, report.currentRoot, proof);
      if (!report.extends) fail('today\'s tree does not extend the checkpoint\'s');
    }
  }
  if (!chain.ok) fail('the hash chain is broken');
  report.ok = report.reason === null;
  return report;
}

/**
 * Where the chain first departs from the signed history. A position beyond the chain's end is a
 * removed event. Otherwise the leaves stored when each event was written name it exactly, unless
 * they were rewritten too; then the database's own signed checkpoints narrow it to a range.
 */
async function locateDifference(
  store: Store, orgId: string, checkpoint: Checkpoint, refs: EventRef[], leaves: string[],
): Promise<CheckpointReport['firstDifference']> {
  const upTo = Math.min(checkpoint.size, leaves.length);
  const stored = await storedLeaves(store, orgId, upTo);
  for (let i = 0; i < upTo; i++) {
    const leaf = stored.get(i);
    if (leaf !== undefined && leaf !== leaves[i]) return { ...refs[i]!, exact: true, upTo: i + 1 };
  }
  // Every event left matches the leaf written with it: the newest were removed.
  if (leaves.length < checkpoint.size && stored.size === upTo) return { orgSeq: leaves.length + 1, missing: true };
  // Signed checkpoints the database kept: the history is intact up to the largest that still
  // matches, and differs by the smallest that does not.
  let after = 0;
  let before = checkpoint.size;
  for (const kept of (await listCheckpoints(store.db, orgId, 1000)).reverse()) {
    if (kept.size > checkpoint.size || kept.keyId !== checkpoint.keyId || !checkpointSignatureValid(kept)) continue;
    const intact = kept.size <= leaves.length && rootOfLeaves(leaves.slice(0, kept.size)) === kept.rootHash;
    if (intact) after = Math.max(after, kept.size);
    else before = Math.min(before, kept.size);
  }
  if (after >= leaves.length) return { orgSeq: leaves.length + 1, missing: true };
  return { ...refs[after]!, exact: before === after + 1, upTo: Math.min(before, leaves.length) };
}
