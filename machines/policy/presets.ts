// The four shipped presets and the one way to turn a preset plus overrides into a valid policy.
import { policySchema, type Policy } from './policy.schema.ts';
import { avesta } from './presets/avesta.ts';
import { lillesand } from './presets/lillesand.ts';
import { tibro } from './presets/tibro.ts';
import { uppsala } from './presets/uppsala.ts';

export const presets = { avesta, lillesand, tibro, uppsala } as const satisfies Record<string, Policy>;
export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}

type Overrides = { [key: string]: unknown };

/**
 * A preset with overrides merged in (objects merge, windows and everything else replace), validated.
 * Returns the zod error rather than throwing: a bad policy is the caller's input, not a bug.
 */
export function resolvePolicy(preset: PresetName, overrides: Overrides = {}) {
  return policySchema.safeParse(merge(presets[preset], overrides, ''));
}

/** Values replaced whole, never merged: a window is one of two shapes; a checklist is a whole list. */
const atomic = /^(windows\.[^.]+|accounts\.profile)$/;

function merge(base: unknown, over: unknown, path: string): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || atomic.test(path)) return over === undefined ? base : over;
  const out: Overrides = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value, path ? `${path}.${key}` : key);
  return out;
}

function isPlainObject(value: unknown): value is Overrides {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
