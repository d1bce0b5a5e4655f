// The account events: zod schemas for what clients send, the machine's own event type (client
// bodies plus the instant, and the system's events), and who may send which. Pure.
import { z } from 'zod';
import type { AccountFacts } from './account.rules.ts';
import type { ActorRole } from './item.events.ts';
import { profileItems, snapshotFormats, type RuleId, type SnapshotFormat } from './policy/policy.schema.ts';

const shortText = z.string().trim().min(1).max(2_000);
export const localDay = z.iso.date();
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');

export const accountEventSchemas = {
  APPROVE: z.object({ type: z.literal('APPROVE') }).strict(),
  /** The officer's answer to a review (TI-5): the account stays, and its inactivity clock restarts. */
  KEEP: z.object({ type: z.literal('KEEP') }).strict(),
  CLOSE: z.object({ type: z.literal('CLOSE'), reason: shortText }).strict(),
  /** AV-6, TI-2: the channel was watched on `day` (the organisation's local date; default today). */
  MONITORED: z.object({ type: z.literal('MONITORED'), day: localDay.optional() }).strict(),
  SNAPSHOT: z
    .object({
      type: z.literal('SNAPSHOT'),
      sha256: sha256Hex,
      format: z.enum(snapshotFormats),
      takenAt: z.iso.datetime({ offset: true }),
      /** AV-13: the snapshot that saves the channel before it is closed. */
      final: z.boolean().optional(),
    })
    .strict(),
  /** TI-8: the responsible manager and the communications unit were consulted about the surge. */
  SURGE_CONSULTED: z.object({ type: z.literal('SURGE_CONSULTED') }).strict(),
} as const;

export const accountEventSchema = z.discriminatedUnion('type', [
  accountEventSchemas.APPROVE,
  accountEventSchemas.KEEP,
  accountEventSchemas.CLOSE,
  accountEventSchemas.MONITORED,
  accountEventSchemas.SNAPSHOT,
  accountEventSchemas.SURGE_CONSULTED,
]);
export type AccountEventBody = z.infer<typeof accountEventSchema>;

/** Changes to the registry entry; personal details (names, e-mail) stay out of the machine and the ledger. */
export const profileSchema = z.partialRecord(z.enum(profileItems), z.boolean());

/** The events as the machine sees them: every one carries the instant the write path stamped on it. */
export type AccountMachineEvent = { at: string } & (
  | { type: 'APPROVE' }
  | { type: 'AMEND'; facts: AccountFacts }
  | { type: 'KEEP' }
  | { type: 'CLOSE'; reason: string }
  | { type: 'MONITORED'; day: string }
  | { type: 'SNAPSHOT'; sha256: string; format: SnapshotFormat; takenAt: string; final?: boolean }
  | { type: 'SURGE_CONSULTED' }
  | { type: 'REVIEW_DUE'; lastActivityAt: string | null; days: number; rule: RuleId }
  | { type: 'MONITORING_MISSED'; day: string; rule: RuleId }
  | { type: 'SNAPSHOT_DUE'; period: string; startsAt: string; rule: RuleId }
  | { type: 'ADMINS_SHORT'; adminCount: number; minAdmins: number; hasSubstitute: boolean; rule: RuleId }
  | { type: 'SURGE_FLAGGED'; count: number; threshold: number; windowHours: number; rule: RuleId }
  | { type: 'CLOSED' }
);
export type AccountEventType = AccountMachineEvent['type'];

/** Who may send which account event: the one table. AMEND arrives by PATCH, the rest by POST …/events. */
export const accountEventRoles: Record<AccountEventType, readonly ActorRole[]> = {
  APPROVE: ['admin'], // LI-5, TI-1: the head of the unit decides
  AMEND: ['admin'],
  KEEP: ['admin', 'officer'],
  CLOSE: ['admin', 'officer'],
  MONITORED: ['admin', 'officer'],
  SNAPSHOT: ['admin', 'officer', 'integrator'],
  SURGE_CONSULTED: ['admin', 'officer'],
  REVIEW_DUE: ['system'],
  MONITORING_MISSED: ['system'],
  SNAPSHOT_DUE: ['system'],
  ADMINS_SHORT: ['system'],
  SURGE_FLAGGED: ['system'],
  CLOSED: ['system'],
};

export const accountClientEvents = (Object.keys(accountEventRoles) as AccountEventType[]).filter(
  (type) => accountEventRoles[type].some((role) => role !== 'system'),
);

export function mayStepAccount(role: ActorRole, type: AccountEventType): boolean {
  return accountEventRoles[type].includes(role);
}
