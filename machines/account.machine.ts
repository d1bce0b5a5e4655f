// account@2: an official channel's lifecycle as a pure XState statechart.
//   proposed → active → review_due → active (KEEP) | closing → closed
// Decided and approved (TI-1, TI-4, LI-5, AV-3, AV-10, TI-16), watched (AV-6, TI-2), reviewed when
// quiet (TI-5, UP-6), snapshotted (AV-11, TI-12, UP-10), flagged when short of administrators (TI-4)
// or under a surge of criticism (TI-8), and closed only after a final snapshot (AV-13). The closing
// state lasts while the channel's items are registered or thinned (AV-14, TI-13); the system closes
// it when none is left. No I/O, no clock: every instant arrives in an event.
import { assign, setup } from 'xstate';
import type { AccountMachineEvent } from './account.events.ts';
import {
  adminsShort, approveRefusal, closeRefusal, snapshotRefusal, type AccountFacts, type AccountRules,
} from './account.rules.ts';
import type { SnapshotFormat } from './policy/policy.schema.ts';

export const accountMachineVersion = 'account@2';
export const accountStatuses = ['proposed', 'active', 'review_due', 'closing', 'closed'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export interface AccountInput {
  platform: string;
  facts: AccountFacts;
  rules: AccountRules;
}

export interface AccountContext extends AccountInput {
  approvedAt: string | null;
  /** Since when the account counts as active for the inactivity review: approval, or the last KEEP. */
  activeSince: string | null;
  review: { since: string; lastActivityAt: string | null } | null;
  lastMonitoredDay: string | null;
  lastMissedDay: string | null;
  missedDays: number;
  lastSnapshot: { sha256: string; format: SnapshotFormat; takenAt: string; final: boolean } | null;
  finalSnapshot: boolean;
  /** The snapshot period that is due and not yet covered (AV-11, TI-12, UP-10). */
  snapshotDue: { period: string; startsAt: string } | null;
  adminsShort: boolean;
  surge: { flaggedAt: string; count: number } | null;
  surgeConsultedAt: string | null;
  closing: { reason: string; at: string } | null;
}

type Event<T extends AccountMachineEvent['type']> = Extract<AccountMachineEvent, { type: T }>;
const is = <T extends AccountMachineEvent['type']>(event: AccountMachineEvent, type: T): event is Event<T> =>
  event.type === type;

/** What every channel that still exists takes: snapshots (extra ones too, UP-10). */
const snapshotTransitions = {
  SNAPSHOT: { guard: 'snapshotPermitted', actions: 'recordSnapshot' },
} as const;

/** What a listed or reviewed channel takes: its registry changes, its watch, and its flags. */
const liveTransitions = {
  ...snapshotTransitions,
  AMEND: { actions: 'recordFacts' },
  MONITORED: { actions: 'recordMonitored' },
  MONITORING_MISSED: { actions: 'recordMissed' },
  SNAPSHOT_DUE: { guard: 'snapshotNotCovered', actions: 'recordSnapshotDue' },
  ADMINS_SHORT: { guard: 'newlyShortOfAdmins', actions: 'recordAdminsShort' },
  SURGE_FLAGGED: { guard: 'noSurgeFlagged', actions: 'recordSurge' },
  SURGE_CONSULTED: { guard: 'surgeFlagged', actions: 'recordConsulted' },
  CLOSE: { guard: 'closePermitted', target: 'closing', actions: 'recordClosing' },
} as const;

export const accountMachine = setup({
  types: {} as { context: AccountContext; events: AccountMachineEvent; input: AccountInput },
  guards: {
    // Rule guards: each one is a refusal check with a rule id (account.rules.ts).
    approvePermitted: ({ context }) => approveRefusal(context.facts, context.rules) === null,
    // allowed() asks with a bare { type }: a SNAPSHOT is possible when some format is accepted.
    snapshotPermitted: ({ context, event }) =>
      is(event, 'SNAPSHOT') && (event.format === undefined || snapshotRefusal(context.rules, event.format) === null),
    closePermitted: ({ context }) => closeRefusal(context.finalSnapshot) === null,
    // Bookkeeping guards: a flag is raised once, and a covered period is never due.
    snapshotNotCovered: ({ context, event }) =>
      is(event, 'SNAPSHOT_DUE') &&
      context.snapshotDue?.period !== event.period &&
      !(context.lastSnapshot !== null && context.lastSnapshot.takenAt >= event.startsAt),
    newlyShortOfAdmins: ({ context }) => !context.adminsShort && adminsShort(context.facts, context.rules),
    noSurgeFlagged: ({ context }) => context.surge === null,
    surgeFlagged: ({ context }) => context.surge !== null,
  },
  actions: {
    recordFacts: assign(({ context, event }) => {
      if (!is(event, 'AMEND')) return {};
      // TI-4: a flag clears as soon as the registry shows enough administrators again.
      return { facts: event.facts, adminsShort: context.adminsShort && adminsShort(event.facts, context.rules) };
    }),
    recordAdminsShort: assign({ adminsShort: true }),
    recordApproval: assign(({ event }) => ({ approvedAt: event.at, activeSince: event.at })),
    recordMonitored: assign(({ context, event }) => ({
      lastMonitoredDay: is(event, 'MONITORED') && (context.lastMonitoredDay ?? '') < event.day ? event.day : context.lastMonitoredDay,
    })),
    recordMissed: assign(({ context, event }) => ({
      lastMissedDay: is(event, 'MONITORING_MISSED') && (context.lastMissedDay ?? '') < event.day ? event.day : context.lastMissedDay,
      missedDays: context.missedDays + 1,
    })),
    recordSnapshot: assign(({ context, event }) => {
      if (!is(event, 'SNAPSHOT')) return {};
      const final = event.final === true;
      return {
        lastSnapshot: { sha256: event.sha256, format: event.format, takenAt: event.takenAt, final },
        finalSnapshot: context.finalSnapshot || final,
        snapshotDue: context.snapshotDue && event.takenAt >= context.snapshotDue.startsAt ? null : context.snapshotDue,
      };
    }),
    recordSnapshotDue: assign(({ event }) => ({
      snapshotDue: is(event, 'SNAPSHOT_DUE') ? { period: event.period, startsAt: event.startsAt } : null,
    })),
    recordReview: assign(({ event }) => ({
      review: is(event, 'REVIEW_DUE') ? { since: event.at, lastActivityAt: event.lastActivityAt } : null,
    })),
    recordKeep: assign(({ event }) => ({ review: null, activeSince: event.at })),
    recordSurge: assign(({ event }) => ({ surge: is(event, 'SURGE_FLAGGED') ? { flaggedAt: event.at, count: event.count } : null })),
    recordConsulted: assign(({ event }) => ({ surge: null, surgeConsultedAt: event.at })),
    recordClosing: assign(({ event }) => ({ closing: is(event, 'CLOSE') ? { reason: event.reason, at: event.at } : null })),
  },
}).createMachine({
  id: 'account',
  initial: 'proposed',
  context: ({ input }) => ({
    ...input,
    approvedAt: null,
    activeSince: null,
    review: null,
    lastMonitoredDay: null,
    lastMissedDay: null,
    missedDays: 0,
    lastSnapshot: null,
    finalSnapshot: false,
    snapshotDue: null,
    adminsShort: false,
    surge: null,
    surgeConsultedAt: null,
    closing: null,
  }),
  states: {
    proposed: {
      description: 'TI-1, LI-5: decided by the head of the unit, not yet approved',
      on: {
        AMEND: { actions: 'recordFacts' },
        APPROVE: { guard: 'approvePermitted', target: 'active', actions: 'recordApproval' },
      },
    },
    active: {
      tags: ['live', 'receiving'],
      description: 'Listed in the public channel register (TI-3, UP-6, AV-2)',
      on: { ...liveTransitions, REVIEW_DUE: { target: 'review_due', actions: 'recordReview' } },
    },
    review_due: {
      tags: ['live', 'receiving'],
      description: 'TI-5, UP-6: quiet too long; off the register until kept or closed',
      on: { ...liveTransitions, KEEP: { target: 'active', actions: 'recordKeep' } },
    },
    closing: {
      // A closing channel still exists on its platform: what arrives is received and then thinned or registered.
      tags: ['receiving'],
      description: 'AV-13, AV-14, TI-13: saved; its items of temporary value are thinned, the rest registered',
      on: { ...snapshotTransitions, CLOSED: { target: 'closed' } },
    },
    closed: { type: 'final', description: 'LI-5, TI-5: closed; nothing of it is left to register or thin' },
  },
});

/** The same chart with its rule guards passing: tells "refused by a rule" from "not in this state". */
export const accountMachineWithoutRules = accountMachine.provide({
  guards: { approvePermitted: () => true, snapshotPermitted: () => true, closePermitted: () => true },
});
