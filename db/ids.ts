// UUIDv7 identifiers: time-ordered, so primary keys sort by creation and pages are stable.
// The instant is passed in; nothing here reads the clock.
import { randomBytesFromPool } from './random.ts';

export function newId(at: Date): string {
  const bytes = randomBytesFromPool(16);
  const ms = BigInt(at.getTime());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
