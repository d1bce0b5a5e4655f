// canonicalJson is what every ledger hash covers: whatever its implementation becomes, it must give
// exactly the text it always gave — JSON.stringify of a copy with keys sorted at every depth (the
// reference below) — for any value, or every stored hash stops verifying. (A hand-written serializer
// was tried for speed and was slower than the native JSON.stringify: 10.9 against 6.6 µs a link.)
// linkText writes a link's hashed text out of its fields and stored JSON texts, at write time and
// in verification alike: it must be canonicalJson of the event as the ledger always hashed it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../db/ledger/hashing.ts';
import { linkText, linkTexts, type ChainedEvent } from '../../db/ledger/ledger.ts';

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
const reference = (value: unknown) => JSON.stringify(sortKeys(value));

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, true, false, 0, -0, 1.5e300, Number.NaN, Number.POSITIVE_INFINITY, '', '\u0000', '"\\', '\ud800'),
    fc.double(), fc.integer(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }),
    fc.array(tie('any'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('any'), { maxKeys: 5 }),
  ),
})).any;

describe('canonicalJson', () => {
  it('equals JSON.stringify of the key-sorted copy for any JSON value, undefined members and odd numbers included', () => {
    fc.assert(fc.property(value, (v) => {
      expect(canonicalJson(v)).toBe(reference(v));
    }), { numRuns: 3_000 });
  });

  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"z":1}]},"b":1}');
  });
});

describe('linkText', () => {
  // Any text a field may hold: escapes, control characters, lone surrogates, other planes.
  const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '"', '\\', '\u001f', '\u007f', '\u2028', '\ud800x', 'é😀'));
  const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 2));
  const event = fc.record({
    orgId: text, orgSeq: number, subject: fc.constantFrom('item', 'account') as fc.Arbitrary<ChainedEvent['subject']>, subjectId: text,
    seq: number, type: text, actor: fc.record({ keyId: fc.option(text), role: text }), at: text, machine: text,
    // The JSON columns are NOT NULL but for from: they hold a value, never undefined.
    from: fc.option(value, { nil: undefined }), to: value.filter((v) => v !== undefined), payload: fc.dictionary(fc.string(), value),
    prevHash: text,
  });

  it('is canonicalJson of the event as the ledger hashes it, for any fields and JSON values', () => {
    fc.assert(fc.property(event, (e) => {
      expect(linkText(e, linkTexts(e))).toBe(canonicalJson({
        orgId: e.orgId, orgSeq: e.orgSeq, subject: e.subject, subjectId: e.subjectId, seq: e.seq, type: e.type,
        actor: { keyId: e.actor.keyId, role: e.actor.role }, at: e.at, machine: e.machine,
        from: e.from ?? null, to: e.to, payload: e.payload, prevHash: e.prevHash,
      }));
    }), { numRuns: 3_000 });
  });

  it('stores each JSON value as its canonical text, null for a missing from', () => {
    expect(linkTexts({ from: undefined, to: { b: 1, a: [2, { d: 1, c: 2 }] }, payload: {} })).toEqual({ from: 'null', to: '{"a":[2,{"c":2,"d":1}],"b":1}', payload: '{}' });
  });
});
