// The item events of API.md as zod schemas, who may send each, and which fields are personal.
// item@1's schemas stay exactly as they were (an item@1 item is given only the events it knew);
// item@2's add REFER, CORRECT, SEND_TO_REGISTRAR and a richer ASSESS. Reused by the HTTP contract
// and the OpenAPI document; pure.
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

/** item@1's event types (item@2's are ItemV2EventType). */
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

/** item@2's decisions: item@1's, plus hiding or reporting where the platform cannot remove (AV-9, LI-3, TI-15, UP-3). */
export const decisionsV2 = [...decisions, 'hide', 'report'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date 'YYYY-MM-DD'");

/**
 * What the officer checked in the organisation's own post before it stands (AV-4, LI-1, LI-6, UP-7).
 * `consentRef` points at the documented consent; `languageCover` names the colleague (acting in
 * service, so kept in the ledger) who answers follow-ups in the post's language until `until`.
 */
export const outboundChecksSchema = z
  .object({
    personalIdentityNumbers: z.boolean(),
    offenceData: z.boolean(),
    sensitiveData: z.boolean(),
    consentRef: shortText.optional(),
    linkToSite: z.boolean(),
    imagesOfPeople: z.boolean(),
    clientRelationship: z.boolean(),
    language: z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 language code in lower case').optional(),
    languageCover: z.object({ name: shortText, until: isoDate }).strict().optional(),
  })
  .strict();
export type OutboundChecks = z.infer<typeof outboundChecksSchema>;

/**
 * item@2's events. ASSESS gains the decisions `hide` and `report` and, for outbound items,
 * `checks`. Its instant is not the client's to give: the write path adds `at` to the machine event.
 */
export const itemV2EventSchemas = {
  ...itemEventSchemas,
  ASSESS: z
    .object({
      type: z.literal('ASSESS'),
      decision: z.enum(decisionsV2),
      categories: z.array(category).max(20),
      registration: z.enum(['required', 'not_required']),
      checks: outboundChecksSchema.optional(),
      note: text.optional(),
    })
    .strict(),
  /** TI-6, UP-2: a question outside the municipality's remit goes to the right authority. */
  REFER: z.object({ type: z.literal('REFER'), to: shortText }).strict(),
  /** TI-7, LI-2: a factual error corrected in the organisation's own post. */
  CORRECT: z.object({ type: z.literal('CORRECT'), text, note: text.optional() }).strict(),
  /** UP-4 step 3: the evidence goes with the reason to the unit's registrar. */
  SEND_TO_REGISTRAR: z.object({ type: z.literal('SEND_TO_REGISTRAR'), reason: shortText }).strict(),
} as const;

export type ItemV2EventType = keyof typeof itemV2EventSchemas;
export const itemV2EventTypes = Object.keys(itemV2EventSchemas) as ItemV2EventType[];

export const itemV2EventSchema = z.discriminatedUnion('type', [
  itemV2EventSchemas.ASSESS,
  itemV2EventSchemas.ACKNOWLEDGE,
  itemV2EventSchemas.ANSWER,
  itemV2EventSchemas.FORWARD,
  itemV2EventSchemas.NOTIFY_AUTHOR,
  itemV2EventSchemas.CAPTURE_EVIDENCE,
  itemV2EventSchemas.UNPUBLISH,
  itemV2EventSchemas.REGISTER,
  itemV2EventSchemas.CLOSE_CONVERSATION,
  itemV2EventSchemas.HOLD,
  itemV2EventSchemas.RELEASE_HOLD,
  itemV2EventSchemas.THIN,
  itemV2EventSchemas.DEADLINE_BREACHED,
  itemV2EventSchemas.REFER,
  itemV2EventSchemas.CORRECT,
  itemV2EventSchemas.SEND_TO_REGISTRAR,
]);
export type ItemV2EventBody = z.infer<typeof itemV2EventSchema>;

/** Who may send which event: the one role table (API.md, "Item events, v1"). */
export const itemEventRoles: Record<ItemV2EventType, readonly ActorRole[]> = {
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
  REFER: ['officer'],
  CORRECT: ['officer'],
  SEND_TO_REGISTRAR: ['officer'],
};

/** Events only the system sends (scheduled work): no API key may send them, and no page lists them. */
export const systemOnlyEvents = (Object.keys(itemEventRoles) as ItemV2EventType[]).filter(
  (type) => itemEventRoles[type].every((role) => role === 'system'),
);

/** The events a client could send to an item of each version (what `allowed` may list). */
export const itemV1ClientEvents: ItemEventType[] = itemEventTypes.filter((type) => !systemOnlyEvents.includes(type));
export const itemV2ClientEvents = itemV2EventTypes.filter((type) => !systemOnlyEvents.includes(type));

export function maySend(role: ActorRole, type: ItemV2EventType): boolean {
  return itemEventRoles[type].includes(role);
}

/**
 * Free-text fields that may name or quote a person. They are kept in the content store, not in
 * the hash-chained ledger, so thinning can erase them.
 */
export const personalFields: Partial<Record<ItemV2EventType, readonly string[]>> = {
  ASSESS: ['note'],
  ACKNOWLEDGE: ['text'],
  ANSWER: ['text'],
  NOTIFY_AUTHOR: ['text'],
  // TI-7: the corrected text of the post, and the officer's note on it.
  CORRECT: ['text', 'note'],
};

/** The payload field that names who an item went to, per event: shown with the event's words. */
export const recipientFields: Partial<Record<ItemV2EventType, string>> = {
  REFER: 'to',
  FORWARD: 'to',
  ANSWER: 'referredTo',
};
