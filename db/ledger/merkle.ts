// RFC 9162 §2.1 Merkle tree hashing, proofs and their verification, over hex hashes. Pure: no
// database. A tree's perfect, aligned subtrees are addressed as (level, index): the subtree of
// leaves [index·2^level, (index+1)·2^level). Proof algorithms read them through a NodeSource, so
// the same code runs over stored nodes (merkle-store.ts) or over leaves held in memory.
import { hash } from 'node:crypto';

/** Leaf hash: SHA-256(0x00 || leaf data). A ledger event's leaf data is the 32 bytes of its link hash. */
export function leafHash(linkHashHex: string): string {
  // One buffer written in place: concatenating buffers cost as much as the hash.
  const input = Buffer.allocUnsafe(1 + linkHashHex.length / 2);
  input[0] = 0x00;
  input.write(linkHashHex, 1, 'hex');
  return hash('sha256', input, 'hex');
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: string, right: string): string {
  const input = Buffer.allocUnsafe(65);
  input[0] = 0x01;
  input.write(left, 1, 32, 'hex');
  input.write(right, 33, 32, 'hex');
  return hash('sha256', input, 'hex');
}

/** The hash of the empty tree: SHA-256 of the empty string. */
export const emptyRoot = hash('sha256', '', 'hex');

/** The largest power of two smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export interface TreeNode {
  level: number;
  index: number;
  hash: string;
}

/**
 * Appends one leaf to a tree of `size` leaves whose frontier (the roots of its perfect subtrees,
 * largest first: one per set bit of size) is given; changes `frontier` in place and returns the
 * nodes completed: the leaf and each perfect subtree it closes. Costs one hash per closed subtree,
 * amortised one.
 */
export function appendLeaf(frontier: string[], size: number, leaf: string): TreeNode[] {
  const nodes: TreeNode[] = [{ level: 0, index: size, hash: leaf }];
  let h = leaf;
  let index = size;
  let level = 0;
  while (index % 2 === 1) {
    h = nodeHash(frontier.pop()!, h);
    index = (index - 1) / 2;
    level += 1;
    nodes.push({ level, index, hash: h });
  }
  frontier.push(h);
  return nodes;
}

/** The root of the tree whose frontier this is (RFC 9162 MTH). */
export function frontierRoot(frontier: readonly string[]): string {
  if (frontier.length === 0) return emptyRoot;
  let root = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i]!, root);
  return root;
}

/** The positions of the frontier's subtrees for a tree of `size` leaves, largest first. */
export function frontierPositions(size: number): Array<{ level: number; index: number }> {
  const positions: Array<{ level: number; index: number }> = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      positions.push({ level, index: start / width });
      start += width;
    }
  }
  return positions;
}

/** The root of a list of leaf hashes, in one pass (a frontier). */
export function rootOfLeaves(leaves: readonly string[]): string {
  const frontier: string[] = [];
  leaves.forEach((leaf, i) => appendLeaf(frontier, i, leaf));
  return frontierRoot(frontier);
}

/** Reads the hash of a perfect, aligned subtree. */
export type NodeSource = (level: number, index: number) => string;

/** MTH(D[start:end]) for a range that starts at a multiple of the largest power of two ≤ its width. */
export function rangeRoot(source: NodeSource, start: number, end: number): string {
  const width = end - start;
  if ((width & (width - 1)) === 0 && start % width === 0) return source(Math.log2(width), start / width);
  const k = splitPoint(width);
  return nodeHash(rangeRoot(source, start, start + k), rangeRoot(source, start + k, end));
}

/** RFC 9162 §2.1.3.1: the inclusion proof of leaf m (0-based) in the tree of the first n leaves. */
export function inclusionProof(source: NodeSource, m: number, n: number): string[] {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  let start = 0;
  let end = n;
  const siblings: string[] = [];
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m - start < k) {
      siblings.push(rangeRoot(source, start + k, end));
      end = start + k;
    } else {
      siblings.push(rangeRoot(source, start, start + k));
      start += k;
    }
  }
  // The recursion appends on the way out: the innermost sibling first.
  return siblings.reverse();
}

/** RFC 9162 §2.1.4.1: the consistency proof between the trees of the first m and n leaves (0 < m ≤ n). */
export function consistencyProof(source: NodeSource, m: number, n: number): string[] {
  if (m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: string[] = [];
  let start = 0;
  let end = n;
  let sub = m;
  let whole = true;
  while (sub !== end - start) {
    const k = splitPoint(end - start);
    if (sub <= k) {
      out.push(rangeRoot(source, start + k, end));
      end = start + k;
    } else {
      out.push(rangeRoot(source, start, start + k));
      start += k;
      sub -= k;
      whole = false;
    }
  }
  if (!whole) out.push(rangeRoot(source, start, end));
  return out.reverse();
}

/** RFC 9162 §2.1.3.2: whether `proof` shows leaf hash `leaf` at index m in the tree of n leaves with root `root`. */
export function verifyInclusion(leaf: string, m: number, n: number, proof: readonly string[], root: string): boolean {
  if (m < 0 || m >= n) return false;
  let fn = m;
  let sn = n - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (n, secondRoot) extends the tree (m, firstRoot). */
export function verifyConsistency(m: number, firstRoot: string, n: number, secondRoot: string, proof: readonly string[]): boolean {
  if (m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && firstRoot === secondRoot;
  if (proof.length === 0) return false;
  let path = [...proof];
  if ((m & (m - 1)) === 0) path = [firstRoot, ...path];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr === firstRoot && sr === secondRoot && sn === 0;
}

/** The (level, index) positions an algorithm reads, found by running it over a recording source. */
export function nodesRead(run: (source: NodeSource) => unknown): Array<{ level: number; index: number }> {
  const seen = new Map<string, { level: number; index: number }>();
  run((level, index) => {
    seen.set(`${level}:${index}`, { level, index });
    return emptyRoot;
  });
  return [...seen.values()];
}
