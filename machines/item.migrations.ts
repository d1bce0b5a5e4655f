// Moving a live item from item@1 to item@2: a pure function of the stored item@1 snapshot and the
// item@2 rules of today's policy. History stays item@1's (its events replay under item@1); the
// moved snapshot is where item@2 takes over. No I/O, no clock.
import type { ItemV2Context } from './item.v2.machine.ts';
import type { ItemV2Rules } from './item.v2.rules.ts';

export type MigrationOutcome =
  | { ok: true; value: { handling: string; records: string }; context: ItemV2Context }
  | { ok: false; reason: string };

/** Every item@1 state has the same name and meaning in item@2, which only adds states. */
const v1Handling = ['received', 'assessed', 'forwarded', 'answered', 'unpublished', 'no_action'];
const v1Records = ['open', 'registered', 'thinned'];
const v1Decisions = ['answer', 'forward', 'unpublish', 'no_action'];
const v1ContextKeys = [
  'kind', 'direction', 'platform', 'rules', 'decision', 'categories', 'registration', 'registrationRule', 'evidence',
  'authorNotified', 'acknowledged', 'forwardedTo', 'registered', 'conversationClosed', 'hold', 'breached',
];
/** What the platform lets the organisation do: item@1 froze it at receipt, and `rules` must agree. */
const capabilities = ['canRemove', 'canMessage'] as const;

/**
 * The item@2 snapshot (value and context) an item@1 item continues as, or why it cannot move.
 *
 * The item keeps every rule item@1 froze at its receipt (the decisions already taken stand under
 * the rules they were taken under); from `rules` (itemV2RulesOf(today's policy, the item's
 * platform)) it gains only what item@1 did not know. New facts start empty: no referral, nothing
 * sent to the registrar, no checks recorded (an own post assessed under item@1 was not checked),
 * no corrections.
 *
 * An item in the middle of a removal moves too, and item@2's order applies from then on: under a
 * policy asking for SEND_TO_REGISTRAR before UNPUBLISH (UP-4) that step is always open to it once
 * evidence exists, so the item is never blocked, only asked for the step item@1 did not know.
 * Refused: a snapshot that is not item@1's, and rules built for another platform's capabilities.
 */
export function migrateItemV1ToV2(stored: { value: unknown; context: unknown }, rules: ItemV2Rules): MigrationOutcome {
  const value = stored.value as { handling?: unknown; records?: unknown } | null;
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 2) {
    return { ok: false, reason: 'The state is not an item@1 state (handling and records).' };
  }
  const { handling, records } = value;
  if (typeof handling !== 'string' || !v1Handling.includes(handling) || typeof records !== 'string' || !v1Records.includes(records)) {
    return { ok: false, reason: `The state ${JSON.stringify(stored.value)} is not an item@1 state.` };
  }
  const context = stored.context as Record<string, unknown> | null;
  if (typeof context !== 'object' || context === null) return { ok: false, reason: 'The context is missing.' };
  const missing = v1ContextKeys.filter((key) => !Object.hasOwn(context, key));
  if (missing.length > 0) return { ok: false, reason: `The context lacks item@1 fields: ${missing.join(', ')}.` };
  if (context.decision !== null && !v1Decisions.includes(context.decision as string)) {
    return { ok: false, reason: `The decision ${JSON.stringify(context.decision)} is not one of item@1's.` };
  }
  const frozen = context.rules as Record<string, unknown> | null;
  if (typeof frozen !== 'object' || frozen === null) return { ok: false, reason: "The context's rules are missing." };
  const differing = capabilities.filter((key) => frozen[key] !== rules[key]);
  if (differing.length > 0) {
    return {
      ok: false,
      reason: `The item@2 rules disagree with the item's platform (${context.platform as string}) on ${differing.join(', ')}: build them for that platform.`,
    };
  }
  const moved = {
    ...structuredClone(context),
    rules: { ...structuredClone(rules), ...structuredClone(frozen) },
    referredTo: null,
    sentToRegistrar: null,
    checks: null,
    corrections: 0,
  } as unknown as ItemV2Context;
  return { ok: true, value: { handling, records }, context: moved };
}
