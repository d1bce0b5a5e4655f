// Random bytes for ids and salts, drawn from the CSPRNG a page at a time, as node:crypto's own
// randomUUID does: a randomBytes(16) call per id cost ~8 µs of CPU, and an ingest takes three.
import { randomBytes } from 'node:crypto';

const pageBytes = 4096;
let page = Buffer.alloc(0);
let offset = 0;

/** `n` fresh random bytes: a copy, never shared with another caller. */
export function randomBytesFromPool(n: number): Buffer {
  if (offset + n > page.length) {
    page = randomBytes(Math.max(pageBytes, n));
    offset = 0;
  }
  const bytes = Buffer.from(page.subarray(offset, offset + n));
  // Used bytes are overwritten, so no copy of them stays behind in the page.
  page.fill(0, offset, offset + n);
  offset += n;
  return bytes;
}
