// The remembered text of machine contexts (json-text.ts): JSON.stringify's text for a context made
// in memory, and the text remembered for one (the stored text of a context read from it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextText, rememberContextText } from '../../machines/json-text.ts';

describe('contextText', () => {
  it('is JSON.stringify of any JSON value, asked once or twice', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(contextText(value)).toBe(JSON.stringify(value));
        expect(contextText(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('gives a context the first text remembered for it, and a changed copy its own', () => {
    const stored = '{ "hold": null, "breached": ["assess"] }';
    const context = JSON.parse(stored) as { hold: null; breached: string[] };
    rememberContextText(context, stored);
    rememberContextText(context, '{"hold":null}');
    expect(contextText(context)).toBe(stored);
    expect(contextText({ ...context, hold: 'x' })).toBe('{"hold":"x","breached":["assess"]}');
  });
});
