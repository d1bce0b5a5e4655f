// Stable UUIDs for the units of a package (Noark 5 systemID, METS and ERMS identifiers): derived
// from the kind of unit and the record it stands for, so the same record gets the same id in every
// file of a package (references both ways) and in a re-export of the same period.
import { createHash } from 'node:crypto';

export function systemId(kind: string, key: string): string {
  const hex = createHash('sha256').update(`${kind}\u0000${key}`).digest('hex');
  // Shaped as a version 8 (custom) UUID so validators that check the variant accept it.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
