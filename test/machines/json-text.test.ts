// The remembered JSON text of machine contexts (json-text.ts): always JSON.stringify's text for a
// context made in memory, and the stored text for a context read from it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextFromText, contextText } from '../../machines/json-text.ts';

describe('contextText', () => {
  it('is JSON.stringify of any JSON value, asked once or twice', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(contextText(value)).toBe(JSON.stringify(value));
        expect(contextText(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('gives a context read from text that very text, and a changed copy its own', () => {
    const stored = '{ "hold": null, "breached": ["assess"] }';
    const context = contextFromText(stored) as { hold: null; breached: string[] };
    expect(context).toEqual({ hold: null, breached: ['assess'] });
    expect(contextText(context)).toBe(stored);
    expect(contextText({ ...context, hold: 'x' })).toBe('{"hold":"x","breached":["assess"]}');
  });
});
