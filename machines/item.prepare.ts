// A client's item event checked against what the item's frozen rules know, before the machine
// sees it: categories must be the policy's (AV-9, LI-3, TI-15, UP-3 name them). Pure.
import type { Invalid, MachineEvent } from './registry.ts';

export function prepareItemEvent(event: MachineEvent, facts: { context: unknown }): { ok: true; event: MachineEvent } | Invalid {
  const categories = event.categories;
  if (!Array.isArray(categories)) return { ok: true, event };
  const known = (facts.context as { rules: { categories: readonly string[] } }).rules.categories;
  const unknown = categories.flatMap((category, i) => (known.includes(category as string) ? [] : [`categories.${i}`]));
  if (unknown.length === 0) return { ok: true, event };
  return {
    ok: false, code: 'invalid', detail: `Unknown categories for this organisation's policy; it knows ${known.join(', ')}.`,
    errors: unknown.map((path) => ({ path, message: 'not a category of the policy' })),
  };
}
