// The item events of API.md as zod schemas, who may send each, and which fields are personal.
// Reused by the HTTP contract and the OpenAPI document; pure.
import { z } from 'zod';

export const roles = ['admin', 'integrator', 'officer', 'registrar', 'auditor'] as const;
export type Role = (typeof roles)[number];
/** The actor of scheduled work; no API key carries it. */
export type ActorRole = Role | 'system';

const text = z.string().trim().min(1).max(10_000);
const shortText = z.string().trim().min(1).max(2_000);
const category = z.string().regex(/^[a-z_]{2,40}$/, 'a category in snake_case');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');

export const decisions = ['answer', 'forward', 'unpublish', 'no_action'] as const;

export const itemEventSchemas = {
  ASSESS: z
    .object({
      type: z.literal('ASSESS'),
      decision: z.enum(decisions),
      categories: z.array(category).max(20),
      registration: z.enum(['required', 'not_required']),
      note: text.optional(),
    })
    .strict(),
  ACKNOWLEDGE: z.object({ type: z.literal('ACKNOWLEDGE'), text }).strict(),
  ANSWER: z.object({ type: z.literal('ANSWER'), text, referredTo: shortText.optional() }).strict(),
  FORWARD: z.object({ type: z.literal('FORWARD'), to: shortText }).strict(),
  NOTIFY_AUTHOR: z.object({ type: z.literal('NOTIFY_AUTHOR'), text }).strict(),
  CAPTURE_EVIDENCE: z.object({ type: z.literal('CAPTURE_EVIDENCE'), evidenceSha256: sha256.optional() }).strict(),
  UNPUBLISH: z
    .object({ type: z.literal('UNPUBLISH'), reason: shortText, categories: z.array(category).min(1).max(20) })
    .strict(),
  REGISTER: z
    .object({ type: z.literal('REGISTER'), number: z.string().trim().min(1).max(100), caseRef: z.string().trim().min(1).max(100).optional() })
    .strict(),
  CLOSE_CONVERSATION: z.object({ type: z.literal('CLOSE_CONVERSATION') }).strict(),
  HOLD: z.object({ type: z.literal('HOLD'), reason: shortText }).strict(),
  RELEASE_HOLD: z.object({ type: z.literal('RELEASE_HOLD'), reason: shortText }).strict(),
  THIN: z.object({ type: z.literal('THIN'), reason: shortText }).strict(),
  DEADLINE_BREACHED: z
    .object({ type: z.literal('DEADLINE_BREACHED'), deadline: z.string().min(1).max(40), dueAt: z.iso.datetime({ offset: true }) })
    .strict(),
} as const;

export type ItemEventType = keyof typeof itemEventSchemas;
export const itemEventTypes = Object.keys(itemEventSchemas) as ItemEventType[];

export const itemEventSchema = z.discriminatedUnion('type', [
  itemEventSchemas.ASSESS,
  itemEventSchemas.ACKNOWLEDGE,
  itemEventSchemas.ANSWER,
  itemEventSchemas.FORWARD,
  itemEventSchemas.NOTIFY_AUTHOR,
  itemEventSchemas.CAPTURE_EVIDENCE,
  itemEventSchemas.UNPUBLISH,
  itemEventSchemas.REGISTER,
  itemEventSchemas.CLOSE_CONVERSATION,
  itemEventSchemas.HOLD,
  itemEventSchemas.RELEASE_HOLD,
  itemEventSchemas.THIN,
  itemEventSchemas.DEADLINE_BREACHED,
]);
export type ItemEventBody = z.infer<typeof itemEventSchema>;

/** Who may send which event: the one role table (API.md, "Item events, v1"). */
export const itemEventRoles: Record<ItemEventType, readonly ActorRole[]> = {
  ASSESS: ['officer'],
  ACKNOWLEDGE: ['officer'],
  ANSWER: ['officer'],
  FORWARD: ['officer'],
  NOTIFY_AUTHOR: ['officer'],
  CAPTURE_EVIDENCE: ['officer', 'integrator'],
  UNPUBLISH: ['officer', 'integrator'],
  REGISTER: ['registrar'],
  CLOSE_CONVERSATION: ['officer', 'integrator'],
  HOLD: ['registrar', 'auditor'],
  RELEASE_HOLD: ['registrar', 'auditor'],
  THIN: ['registrar', 'system'],
  DEADLINE_BREACHED: ['system'],
};

export function maySend(role: ActorRole, type: ItemEventType): boolean {
  return itemEventRoles[type].includes(role);
}

/**
 * Free-text fields that may name or quote a person. They are kept in the content store, not in
 * the hash-chained ledger, so thinning can erase them.
 */
export const personalFields: Partial<Record<ItemEventType, readonly string[]>> = {
  ASSESS: ['note'],
  ACKNOWLEDGE: ['text'],
  ANSWER: ['text'],
  NOTIFY_AUTHOR: ['text'],
};
