// Proofs from the stored ledger tree: inclusion of events in a checkpoint's tree, and consistency
// between two sizes of an organisation's tree (RFC 9162 §2.1.3, §2.1.4).
import type { Store } from '../client.ts';
import { consistencyProof, inclusionProof, leafHash, rangeRoot } from './merkle.ts';
import { overStoredTree, storedTreeHead } from './merkle-store.ts';

export interface InclusionProof {
  /** The event's leaf: chain position - 1. */
  leafIndex: number;
  treeSize: number;
  /** SHA-256(0x00 || the event's link hash). */
  leafHash: string;
  /** The audit path, innermost sibling first. */
  path: string[];
}

/** Inclusion proofs of the given links (chain position and hash) in the tree of `treeSize` leaves; null for links past it. */
export async function inclusionProofs(
  store: Store, orgId: string, treeSize: number, links: Array<{ orgSeq: number; hash: string }>,
): Promise<Array<InclusionProof | null>> {
  const inside = links.filter((l) => l.orgSeq <= treeSize);
  const paths = inside.length === 0 ? [] : await overStoredTree(store.client, orgId, (source) => inside.map((l) => inclusionProof(source, l.orgSeq - 1, treeSize)));
  const byPosition = new Map(inside.map((l, i) => [l.orgSeq, paths[i]!]));
  return links.map((l) => {
    const path = byPosition.get(l.orgSeq);
    return path ? { leafIndex: l.orgSeq - 1, treeSize, leafHash: leafHash(l.hash), path } : null;
  });
}

export type ConsistencyResult =
  | { ok: true; from: number; to: number; fromRoot: string; toRoot: string; proof: string[] }
  | { ok: false; detail: string };

/** The roots of the trees of `from` and `to` leaves and the proof that the second extends the first. */
export async function consistencyBetween(store: Store, orgId: string, from: number, to: number): Promise<ConsistencyResult> {
  const head = await storedTreeHead(store.client, orgId);
  const size = head?.size ?? 0;
  if (from < 1 || from > to) return { ok: false, detail: `from must be at least 1 and at most to (${from} > ${to}).` };
  if (to > size) return { ok: false, detail: `The ledger holds ${size} events; to (${to}) is beyond it.` };
  return overStoredTree(store.client, orgId, (source) => ({
    ok: true as const, from, to, fromRoot: rangeRoot(source, 0, from), toRoot: rangeRoot(source, 0, to),
    proof: from === to ? [] : consistencyProof(source, from, to),
  }));
}
