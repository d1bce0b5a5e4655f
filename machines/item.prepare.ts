// A client's item event checked before the machine sees it: against the schemas of the item's own
// machine version, then against what its frozen rules know — categories must be the policy's
// (AV-9, LI-3, TI-15, UP-3 name them). Pure.
import type { Policy } from './policy/policy.schema.ts';
import type { Invalid, MachineEvent } from './registry.ts';

type EventSchemas = Record<string, { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }>;

/** The `prepare` of an item machine version whose events are `schemas`. */
export function itemEventPreparer(schemas: EventSchemas) {
  return (event: MachineEvent, facts: { context: unknown; policy: Policy; at: string }): { ok: true; event: MachineEvent } | Invalid => {
    // An event this version does not know is the chart's to refuse (409 not_allowed, with what it allows).
    const parsed = schemas[event.type]?.safeParse(event);
    if (parsed && !parsed.success) {
      return {
        ok: false, code: 'invalid', detail: `The fields of ${event.type} do not fit this item's machine version.`,
        errors: (parsed.error?.issues ?? []).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      };
    }
    return prepareItemEvent(event, facts);
  };
}

export function prepareItemEvent(event: MachineEvent, facts: { context: unknown }): { ok: true; event: MachineEvent } | Invalid {
  const categories = event.categories;
  if (!Array.isArray(categories)) return { ok: true, event };
  const known = (facts.context as { rules: { categories: readonly string[] } }).rules.categories;
  const unknown = categories.flatMap((category, i) => (known.includes(category as string) ? [] : [{ i, category: String(category) }]));
  if (unknown.length === 0) return { ok: true, event };
  // The whole list, so a user need not guess: the policy's own categories are not in API.md.
  return {
    ok: false, code: 'invalid',
    detail: `Unknown ${unknown.length === 1 ? 'category' : 'categories'} ${unknown.map((u) => JSON.stringify(u.category)).join(', ')} for this organisation's policy; it knows ${known.join(', ')}.`,
    errors: unknown.map(({ i, category }) => ({ path: `categories.${i}`, message: `"${category}" is not a category of the policy; one of ${known.join(', ')}` })),
  };
}
