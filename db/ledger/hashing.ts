// Canonical JSON and sha256: the one way Diarium turns a value into a hash.
import { hash } from 'node:crypto';
import { randomBytesFromPool } from '../random.ts';

/** JSON with object keys sorted at every depth and no whitespace, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

// The one-shot crypto.hash: half the cost of createHash().update().digest() on a ledger link.
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

export function randomToken(bytes = 16): string {
  return randomBytesFromPool(bytes).toString('hex');
}

export const genesisHash = '0'.repeat(64);
