// The ledger's Merkle tree against RFC 9162, checked by a reference written here from the RFC's
// text (§2.1.1 MTH, §2.1.3.2 and §2.1.4.2 verification) that imports none of db/ledger/merkle.ts,
// and by the published test vectors of Certificate Transparency's tree of eight leaves.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  appendLeaf, consistencyProof, frontierRoot, inclusionProof, leafHash, rangeRoot, rootOfLeaves, verifyConsistency, verifyInclusion,
  type NodeSource,
} from '../../db/ledger/merkle.ts';

// ---- the reference, from the RFC's text ----
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const refLeaf = (data: Buffer) => sha(Buffer.from([0x00]), data);
const refNode = (l: Buffer, r: Buffer) => sha(Buffer.from([0x01]), l, r);
const largestPowerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** §2.1.1: MTH({}) = SHA-256(); MTH({d0}) = leaf; else split at k, the largest power of two < n. */
function refMth(data: Buffer[]): Buffer {
  if (data.length === 0) return sha();
  if (data.length === 1) return refLeaf(data[0]!);
  const k = largestPowerOfTwoBelow(data.length);
  return refNode(refMth(data.slice(0, k)), refMth(data.slice(k)));
}

const lsb = (x: bigint) => (x & 1n) === 1n;

/** §2.1.3.2, step by step. */
function refVerifyInclusion(leafIndex: number, treeSize: number, leaf: Buffer, path: Buffer[], root: Buffer): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = refNode(p, r);
      if (!lsb(fn)) while (!(lsb(fn) || fn === 0n)) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = refNode(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** §2.1.4.2, step by step. */
function refVerifyConsistency(first: number, second: number, firstHash: Buffer, secondHash: Buffer, proof: Buffer[]): boolean {
  if (first === second) return proof.length === 0 && firstHash.equals(secondHash);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  if (lsb(fn)) while (lsb(fn)) { fn >>= 1n; sn >>= 1n; }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = refNode(c, fr);
      sr = refNode(c, sr);
      if (!lsb(fn)) while (!(lsb(fn) || fn === 0n)) { fn >>= 1n; sn >>= 1n; }
    } else {
      sr = refNode(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}

// ---- the code under test, over leaves held in memory ----
const hex = (b: Buffer) => b.toString('hex');
const buf = (h: string) => Buffer.from(h, 'hex');

/** A NodeSource over all perfect aligned subtrees of the given leaf data, computed by the reference. */
function sourceOver(data: Buffer[]): NodeSource {
  return (level, index) => hex(refMth(data.slice(index * 2 ** level, (index + 1) * 2 ** level)));
}

// Certificate Transparency's test leaves and the roots of their first 1..8 (RFC 6962 test vectors).
const ctLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(buf);
const ctRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 Merkle tree', () => {
  it('hashes the published eight-leaf tree to its published roots, appended one leaf at a time', () => {
    const frontier: string[] = [];
    ctLeaves.forEach((leaf, i) => {
      appendLeaf(frontier, i, leafHash(hex(leaf)));
      expect(frontierRoot(frontier)).toBe(ctRoots[i]);
      expect(hex(refMth(ctLeaves.slice(0, i + 1)))).toBe(ctRoots[i]);
    });
  });

  it('gives the published inclusion and consistency proofs of the eight-leaf tree', () => {
    const source = sourceOver(ctLeaves);
    expect(inclusionProof(source, 0, 8)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(source, 5, 8)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(source, 1, 8)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(source, 6, 8)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(source, 2, 5)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  const data = Array.from({ length: 37 }, (_, i) => createHash('sha256').update(`event ${i}`).digest());
  const source = sourceOver(data);

  it('every inclusion proof of every tree up to 37 leaves verifies with the reference, and fails for another leaf or root', () => {
    for (let n = 1; n <= data.length; n++) {
      const root = refMth(data.slice(0, n));
      expect(rootOfLeaves(data.slice(0, n).map((d) => leafHash(hex(d))))).toBe(hex(root));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(source, m, n).map(buf);
        expect(refVerifyInclusion(m, n, refLeaf(data[m]!), proof, root)).toBe(true);
        expect(verifyInclusion(hex(refLeaf(data[m]!)), m, n, proof.map(hex), hex(root))).toBe(true);
        const other = refLeaf(data[(m + 1) % data.length]!);
        expect(refVerifyInclusion(m, n, other, proof, root)).toBe(false);
        expect(verifyInclusion(hex(other), m, n, proof.map(hex), hex(root))).toBe(false);
        if (n > 1) expect(verifyInclusion(hex(refLeaf(data[m]!)), m, n, proof.map(hex), hex(refMth(data.slice(0, n - 1))))).toBe(false);
      }
    }
  });

  it('every consistency proof between trees up to 37 leaves verifies with the reference, and fails against a rewritten history', () => {
    const rewritten = data.map((d, i) => (i === 3 ? createHash('sha256').update('rewritten').digest() : d));
    for (let n = 1; n <= data.length; n++) {
      const second = refMth(data.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const first = refMth(data.slice(0, m));
        const proof = consistencyProof(source, m, n).map(buf);
        expect(refVerifyConsistency(m, n, first, second, proof)).toBe(true);
        expect(verifyConsistency(m, hex(first), n, hex(second), proof.map(hex))).toBe(true);
        if (m > 3) {
          // A tree whose fourth leaf was rewritten does not extend the tree kept before.
          const forged = consistencyProof(sourceOver(rewritten), m, n).map(buf);
          const forgedRoot = refMth(rewritten.slice(0, n));
          expect(refVerifyConsistency(m, n, first, forgedRoot, forged)).toBe(false);
          expect(verifyConsistency(m, hex(first), n, hex(forgedRoot), forged.map(hex))).toBe(false);
        }
      }
    }
  });

  it('computes a range root from aligned perfect subtrees', () => {
    expect(rangeRoot(source, 0, 37)).toBe(hex(refMth(data)));
    expect(rangeRoot(source, 32, 37)).toBe(hex(refMth(data.slice(32, 37))));
  });
});
