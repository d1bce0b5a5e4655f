// An item's ledger event said in words for the timeline: who did what ("Officer (key 01a2…)
// assessed: answer, question; registration required") and how the state changed ("handling:
// received → assessed"). Pure over the event; the page adds the instant and the kept text.
import type { ChainedEvent } from '../../db/ledger/ledger.ts';

const str = (value: unknown) => (typeof value === 'string' ? value : null);
const words = (value: string) => value.replaceAll('_', ' ');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map(words).join(', ') : '');

/** "Officer (key 01a2b3c4…)", "The system". */
export function actorLabel(actor: ChainedEvent['actor']): string {
  if (actor.role === 'system') return 'The system';
  const role = actor.role.charAt(0).toUpperCase() + actor.role.slice(1);
  return actor.keyId ? `${role} (key ${actor.keyId.slice(0, 8)}…)` : role;
}

/** What the actor did, as the rest of a sentence after the actor's label. */
export function actionText(type: string, payload: Record<string, unknown>): string {
  switch (type) {
    case 'RECEIVED': {
      const input = (payload.input ?? {}) as Record<string, unknown>;
      const what = [str(input.kind), str(input.direction)].filter(Boolean).map((v) => words(v!)).join(', ');
      return `received the item${what ? ` (${what}${str(input.platform) ? ` on ${input.platform}` : ''})` : ''}`;
    }
    case 'ASSESS': {
      const registration = str(payload.registration);
      const categories = list(payload.categories);
      return `assessed: ${words(str(payload.decision) ?? '—')}${categories ? `, ${categories}` : ''}${registration ? `; registration ${words(registration)}` : ''}`;
    }
    case 'ACKNOWLEDGE': return 'sent a holding reply';
    case 'ANSWER': return str(payload.referredTo) ? `answered, referring to ${payload.referredTo}` : 'answered';
    case 'FORWARD': return `forwarded it to ${str(payload.to) ?? '—'}`;
    case 'REFER': return `referred it to ${str(payload.to) ?? '—'}`;
    case 'NOTIFY_AUTHOR': return 'messaged the author';
    case 'CAPTURE_EVIDENCE': return 'captured evidence of the content and its author';
    case 'UNPUBLISH': {
      const categories = list(payload.categories);
      return `unpublished it${str(payload.reason) ? `: ${payload.reason}` : ''}${categories ? ` (${categories})` : ''}`;
    }
    case 'REGISTER': return `registered it as ${str(payload.number) ?? '—'}${str(payload.caseRef) ? ` in case ${payload.caseRef}` : ''}`;
    case 'CLOSE_CONVERSATION': return 'closed the conversation';
    case 'HOLD': return `put it on hold${str(payload.reason) ? `: ${payload.reason}` : ''}`;
    case 'RELEASE_HOLD': return `released the hold${str(payload.reason) ? `: ${payload.reason}` : ''}`;
    case 'THIN': return `thinned it${str(payload.rule) ? ` under ${payload.rule}` : ''}${str(payload.reason) ? `: ${payload.reason}` : ''}`;
    case 'DEADLINE_BREACHED': return `recorded the ${str(payload.kind) ?? ''} deadline as breached`.replace('the  deadline', 'a deadline');
    case 'CORRECT': return 'corrected the post';
    case 'SEND_TO_REGISTRAR': return `sent it to the registrar${str(payload.reason) ? `: ${payload.reason}` : ''}`;
    case 'MIGRATED': return `moved it from machine version ${String(payload.from ?? '—')} to ${String(payload.to ?? '—')}`;
    default: return words(type.toLowerCase());
  }
}

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) for (const [k, v] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  } else if (value !== null && value !== undefined) {
    out.set(prefix || 'state', words(String(value)));
  }
  return out;
}

/** "handling: received → assessed"; "starts in handling received, records open"; "no change of state". */
export function stateChangeText(from: unknown, to: unknown): string {
  const after = flatten(to);
  if (from === null || from === undefined) return `starts in ${[...after].map(([region, state]) => `${words(region)} ${state}`).join(', ')}`;
  const before = flatten(from);
  const changes = [...new Set([...before.keys(), ...after.keys()])]
    .filter((region) => before.get(region) !== after.get(region))
    .map((region) => `${words(region)}: ${before.get(region) ?? '—'} → ${after.get(region) ?? '—'}`);
  return changes.length ? changes.join('; ') : 'no change of state';
}

/**
 * The payload as the disclosure shows it: RECEIVED's frozen policy rules summarised, since the
 * whole policy would fill the page (GET /v1/items/{id}/history has it whole).
 */
export function shownPayload(type: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (type !== 'RECEIVED' || !payload.input || typeof payload.input !== 'object') return payload;
  const { rules, ...input } = payload.input as Record<string, unknown>;
  if (rules === undefined) return payload;
  const keys = rules && typeof rules === 'object' ? Object.keys(rules).length : 0;
  return { ...payload, input: { ...input, rules: `(the policy's rules frozen at receipt: ${keys} settings; the history API has them whole)` } };
}
