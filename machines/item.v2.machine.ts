// item@2: item@1 (item.v1.machine.ts, frozen) plus referral (TI-6, UP-2), checks and corrections of
// own posts (AV-4, LI-1, LI-6, UP-7, TI-7, LI-2), the registrar step of a removal (UP-4), and hiding
// or reporting prohibited content where the platform cannot remove it (AV-9, LI-3, TI-15, UP-3).
// The same two parallel regions as item@1. No I/O, no clock: every instant arrives in an event.
import { and, assign, not, or, setup, stateIn, type SnapshotFrom } from 'xstate';
import type { OutboundChecks } from './item.events.ts';
import { answerRefusal, mandatoryRegistrationRule, notifyAuthorRefusal, thinRefusal, type Refusal, type Registration } from './item.rules.ts';
import {
  assessV2Refusal, evidenceV2Refusal, sendToRegistrarRefusal, unpublishV2Refusal,
  type AssessV2, type DecisionV2, type ItemV2Rules,
} from './item.v2.rules.ts';
import type { Direction, ItemKind } from './item.v1.machine.ts';
import type { RuleId } from './policy/policy.schema.ts';

export { directions, itemKinds, type Direction, type ItemKind } from './item.v1.machine.ts';
export { itemV2Effects, itemV2ReceiptEffects } from './item.v2.effects.ts';
export { itemV2RulesOf, type DecisionV2, type ItemV2Rules } from './item.v2.rules.ts';
export { itemV2ClientEvents } from './item.events.ts';

export const itemV2Version = 'item@2';

export interface ItemV2Input {
  kind: ItemKind;
  direction: Direction;
  platform: string;
  rules: ItemV2Rules;
}

export interface ItemV2Context extends ItemV2Input {
  decision: DecisionV2 | null;
  categories: string[];
  registration: Registration | null;
  /** Why registration is required: the policy's rule, or the officer's decision under it. */
  registrationRule: RuleId | null;
  evidence: boolean;
  authorNotified: boolean;
  acknowledged: boolean;
  forwardedTo: string | null;
  /** TI-6, UP-2: the authority a question outside the municipality's remit was referred to. */
  referredTo: string | null;
  /** UP-4 step 3: the evidence went to the unit's registrar, for this reason. */
  sentToRegistrar: { reason: string } | null;
  /** AV-4, LI-1, LI-6, UP-7: what the last assessment of an own post checked; null for inbound items. */
  checks: OutboundChecks | null;
  /** TI-7, LI-2: how many times the own post was corrected (the texts are in the content store). */
  corrections: number;
  registered: { number: string; caseRef: string | null } | null;
  conversationClosed: boolean;
  hold: { reason: string } | null;
  breached: string[];
}

/**
 * The events as item@2 sees them: the ledger payload, without personal free text. ASSESS's `at` is
 * the step's instant, put in by the write path (never by the client) and kept in the ledger payload
 * so that replay counts UP-7's week from the same day.
 */
export type ItemV2MachineEvent =
  | { type: 'ASSESS'; decision: DecisionV2; categories: string[]; registration: Registration; checks?: OutboundChecks; at?: string }
  | { type: 'ACKNOWLEDGE' }
  | { type: 'ANSWER'; referredTo?: string }
  | { type: 'FORWARD'; to: string }
  | { type: 'REFER'; to: string }
  | { type: 'NOTIFY_AUTHOR' }
  | { type: 'CAPTURE_EVIDENCE'; evidenceSha256?: string }
  | { type: 'SEND_TO_REGISTRAR'; reason: string }
  | { type: 'UNPUBLISH'; reason: string; categories: string[] }
  | { type: 'CORRECT' }
  | { type: 'REGISTER'; number: string; caseRef?: string }
  | { type: 'CLOSE_CONVERSATION' }
  | { type: 'HOLD'; reason: string }
  | { type: 'RELEASE_HOLD'; reason: string }
  | { type: 'THIN'; reason: string }
  | { type: 'DEADLINE_BREACHED'; deadline: string; dueAt: string };

/** Handling states in which the organisation has done what the item called for. */
export const itemV2HandlingDoneStates = ['answered', 'referred', 'unpublished', 'hidden', 'reported', 'no_action'] as const;

const decided = (...decisions: DecisionV2[]) => ({ type: 'decided', params: { decisions } }) as const;
const decides = (decision: DecisionV2) => ({ type: 'decides', params: { decision } }) as const;
const notThinned = not(stateIn({ records: 'thinned' }));
const handlingDone = or(itemV2HandlingDoneStates.map((state) => stateIn({ handling: state })));
const assessable = and(['checksFitDirection', 'assessPermitted']);

/** ASSESS, and re-assessment until the decided action is taken (AV-5); hide and report end handling at once. */
const assessTransitions = [
  { guard: and([assessable, decides('no_action')]), target: 'no_action', actions: 'recordAssessment' },
  { guard: and([assessable, decides('hide')]), target: 'hidden', actions: 'recordAssessment' },
  { guard: and([assessable, decides('report')]), target: 'reported', actions: 'recordAssessment' },
  { guard: assessable, target: 'assessed', actions: 'recordAssessment' },
] as const;

/** UP-4 step 3, also after the item has left the channel where the policy leaves it optional. */
const sendToRegistrarAfterwards = { guard: and([notThinned, 'sendToRegistrarPermitted']), actions: 'recordSentToRegistrar' } as const;

export const itemV2Machine = setup({
  types: {} as { context: ItemV2Context; events: ItemV2MachineEvent; input: ItemV2Input },
  guards: {
    decided: ({ context }, params: { decisions: DecisionV2[] }) =>
      context.decision !== null && params.decisions.includes(context.decision),
    decides: ({ event }, params: { decision: DecisionV2 }) => event.type === 'ASSESS' && event.decision === params.decision,
    // Checks describe the organisation's own post; an inbound item has none to give.
    checksFitDirection: ({ context, event }) => event.type !== 'ASSESS' || !event.checks || context.direction === 'outbound',
    isDirectMessage: ({ context }) => context.kind === 'direct_message',
    isOutbound: ({ context }) => context.direction === 'outbound',
    conversationOpen: ({ context }) => !context.conversationClosed,
    onHold: ({ context }) => context.hold !== null,
    // Rule guards: each one is a refusal check with a rule id (item.rules.ts, item.v2.rules.ts).
    assessPermitted: ({ context, event }) => event.type === 'ASSESS' && assessV2Refusal(context, event) === null,
    answerPermitted: ({ context }) => answerRefusal(context) === null,
    notifyAuthorPermitted: ({ context }) => notifyAuthorRefusal(context) === null,
    evidencePermitted: ({ context }) => evidenceV2Refusal(context) === null,
    sendToRegistrarPermitted: ({ context }) => sendToRegistrarRefusal(context) === null,
    unpublishPermitted: ({ context }) => unpublishV2Refusal(context) === null,
    thinPermitted: ({ context }) => thinRefusal(context) === null,
  },
  actions: {
    recordAssessment: assign(({ context, event }) => {
      if (event.type !== 'ASSESS') return {};
      const mandatory = mandatoryRegistrationRule(context.rules, event.categories);
      return {
        decision: event.decision,
        categories: [...event.categories],
        registration: event.registration,
        registrationRule:
          mandatory ?? (event.registration === 'required' ? context.rules.registrationDecisionRule : null),
        checks: event.checks ? structuredClone(event.checks) : null,
      };
    }),
    recordAcknowledgement: assign({ acknowledged: true }),
    recordForward: assign({ forwardedTo: ({ event }) => (event.type === 'FORWARD' ? event.to : null) }),
    recordReferral: assign({ referredTo: ({ event }) => (event.type === 'REFER' ? event.to : null) }),
    recordAuthorNotified: assign({ authorNotified: true }),
    recordEvidence: assign({ evidence: true }),
    recordSentToRegistrar: assign({
      sentToRegistrar: ({ event }) => (event.type === 'SEND_TO_REGISTRAR' ? { reason: event.reason } : null),
    }),
    recordCorrection: assign({ corrections: ({ context }) => context.corrections + 1 }),
    recordRegistration: assign({
      registered: ({ event }) => (event.type === 'REGISTER' ? { number: event.number, caseRef: event.caseRef ?? null } : null),
    }),
    recordConversationClosed: assign({ conversationClosed: true }),
    recordHold: assign({ hold: ({ event }) => (event.type === 'HOLD' ? { reason: event.reason } : null) }),
    releaseHold: assign({ hold: null }),
    recordBreach: assign({
      breached: ({ context, event }) =>
        event.type === 'DEADLINE_BREACHED' ? [...context.breached, event.deadline] : context.breached,
    }),
  },
}).createMachine({
  id: 'item',
  type: 'parallel',
  context: ({ input }) => ({
    ...input,
    decision: null,
    categories: [],
    registration: null,
    registrationRule: null,
    evidence: false,
    authorNotified: false,
    acknowledged: false,
    forwardedTo: null,
    referredTo: null,
    sentToRegistrar: null,
    checks: null,
    corrections: 0,
    registered: null,
    conversationClosed: false,
    hold: null,
    breached: [],
  }),
  on: {
    HOLD: { guard: and([notThinned, not('onHold')]), actions: 'recordHold' },
    RELEASE_HOLD: { guard: 'onHold', actions: 'releaseHold' },
    CLOSE_CONVERSATION: {
      description: 'AV-14: a direct message is thinned only after its conversation has ended',
      guard: and([notThinned, 'isDirectMessage', 'conversationOpen']),
      actions: 'recordConversationClosed',
    },
    CORRECT: {
      description: 'TI-7, LI-2: a factual error in an own post is corrected in the post, while it is on the channel',
      guard: and([notThinned, 'isOutbound', not(stateIn({ handling: 'unpublished' }))]),
      actions: 'recordCorrection',
    },
    DEADLINE_BREACHED: { guard: notThinned, actions: 'recordBreach' },
  },
  states: {
    handling: {
      initial: 'received',
      states: {
        received: {
          description: 'AV-5: every incoming item is assessed; AV-4, LI-1, LI-6, UP-7: every own post is checked',
          on: {
            ASSESS: assessTransitions,
            ACKNOWLEDGE: { actions: 'recordAcknowledgement' },
            CAPTURE_EVIDENCE: { actions: 'recordEvidence' },
          },
        },
        assessed: {
          description: 'The decision is made and its action is pending (answer, forward, refer or unpublish)',
          on: {
            ASSESS: assessTransitions,
            ACKNOWLEDGE: { guard: decided('answer', 'forward'), actions: 'recordAcknowledgement' }, // UP-2, UP-5
            ANSWER: { guard: and([decided('answer'), 'answerPermitted']), target: 'answered' }, // TI-9
            FORWARD: { guard: decided('answer', 'forward'), target: 'forwarded', actions: 'recordForward' }, // TI-6
            REFER: { guard: decided('answer', 'forward'), target: 'referred', actions: 'recordReferral' }, // TI-6, UP-2
            NOTIFY_AUTHOR: { guard: and([decided('unpublish'), 'notifyAuthorPermitted']), actions: 'recordAuthorNotified' }, // UP-4 (1)
            CAPTURE_EVIDENCE: { guard: 'evidencePermitted', actions: 'recordEvidence' }, // AV-7, UP-4 (2)
            SEND_TO_REGISTRAR: { guard: and([decided('unpublish'), 'sendToRegistrarPermitted']), actions: 'recordSentToRegistrar' }, // UP-4 (3)
            UNPUBLISH: { guard: and([decided('unpublish'), 'unpublishPermitted']), target: 'unpublished' }, // AV-7, TI-14, UP-4 (4)
          },
        },
        forwarded: {
          description: 'TI-6: handed to the responsible unit, which answers or refers',
          on: {
            ACKNOWLEDGE: { actions: 'recordAcknowledgement' },
            ANSWER: { guard: 'answerPermitted', target: 'answered' },
            FORWARD: { actions: 'recordForward' },
            REFER: { target: 'referred', actions: 'recordReferral' }, // TI-6, UP-2
            CAPTURE_EVIDENCE: { actions: 'recordEvidence' },
          },
        },
        answered: {
          on: { CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' } },
        },
        referred: {
          description: 'TI-6, UP-2: outside the municipality\'s remit, referred to the right authority; handling is done',
          on: { CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' } },
        },
        unpublished: {
          description: 'Removed from the channel; still a public record (AV-7)',
          on: { SEND_TO_REGISTRAR: sendToRegistrarAfterwards },
        },
        hidden: {
          description: 'UP-4: prohibited content the platform cannot remove is hidden from the channel; still a public record',
          on: { CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' }, SEND_TO_REGISTRAR: sendToRegistrarAfterwards },
        },
        reported: {
          description: 'UP-4: prohibited content the platform can neither remove nor hide is reported to the platform',
          on: { CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' }, SEND_TO_REGISTRAR: sendToRegistrarAfterwards },
        },
        no_action: {
          description: 'Assessed as needing no action (AV-5: not every post needs an answer)',
          on: {
            ASSESS: assessTransitions.map((transition) => ({ ...transition, guard: and([notThinned, transition.guard]) })),
            CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' },
          },
        },
      },
    },
    records: {
      initial: 'open',
      states: {
        open: {
          on: {
            REGISTER: { target: 'registered', actions: 'recordRegistration' }, // TI-11, UP-9
            THIN: { guard: and([handlingDone, 'thinPermitted']), target: 'thinned' }, // AV-14, LI-4, UP-8
          },
        },
        registered: { description: 'Filed in the records register; never thinned' },
        thinned: { description: 'Content erased under a documented decision (AV-14, TI-13)' },
      },
    },
  },
});

/** The same chart with every rule guard passing: tells "refused by a rule" from "not possible here". */
export const itemV2MachineWithoutRules = itemV2Machine.provide({
  guards: {
    assessPermitted: () => true,
    answerPermitted: () => true,
    notifyAuthorPermitted: () => true,
    evidencePermitted: () => true,
    sendToRegistrarPermitted: () => true,
    unpublishPermitted: () => true,
    thinPermitted: () => true,
  },
});

export type ItemV2Snapshot = SnapshotFrom<typeof itemV2Machine>;

/** The rule that refuses `event` in an item@2 item with this context, if one does (the stepper's `refusal`). */
export function itemV2Refusal(context: ItemV2Context, event: ItemV2MachineEvent): Refusal | null {
  switch (event.type) {
    case 'ASSESS': return assessV2Refusal(context, event satisfies AssessV2);
    case 'ANSWER': return answerRefusal(context);
    case 'NOTIFY_AUTHOR': return notifyAuthorRefusal(context);
    case 'CAPTURE_EVIDENCE': return evidenceV2Refusal(context);
    case 'SEND_TO_REGISTRAR': return sendToRegistrarRefusal(context);
    case 'UNPUBLISH': return unpublishV2Refusal(context);
    case 'THIN': return thinRefusal(context);
    default: return null;
  }
}
