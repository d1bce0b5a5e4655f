// item@1, frozen: items started under it replay under it, so its behaviour never changes (item@2
// is machines/item.v2.machine.ts; item.migrations.ts moves live items across).
// The lifecycle of one item as a pure XState statechart. Two parallel regions —
// handling (what the organisation did) and records (registered or thinned) — because
// registration may come before, during or after handling (TI-14, AV-12).
// No I/O, no clock: every instant arrives in an event's payload or not at all.
import { and, assign, not, or, setup, stateIn } from 'xstate';
import type { RuleId } from './policy/policy.schema.ts';
import {
  answerRefusal, assessRefusal, mandatoryRegistrationRule, notifyAuthorRefusal, thinRefusal, unpublishRefusal,
  type Decision, type ItemRules, type Registration,
} from './item.rules.ts';

export const itemMachineVersion = 'item@1';

export const itemKinds = ['post', 'comment', 'reply', 'mention', 'direct_message'] as const;
export type ItemKind = (typeof itemKinds)[number];
export const directions = ['inbound', 'outbound'] as const;
export type Direction = (typeof directions)[number];

export interface ItemInput {
  kind: ItemKind;
  direction: Direction;
  platform: string;
  rules: ItemRules;
}

export interface ItemContext extends ItemInput {
  decision: Decision | null;
  categories: string[];
  registration: Registration | null;
  /** Why registration is required: the policy's rule, or the officer's decision under it. */
  registrationRule: RuleId | null;
  evidence: boolean;
  authorNotified: boolean;
  acknowledged: boolean;
  forwardedTo: string | null;
  registered: { number: string; caseRef: string | null } | null;
  conversationClosed: boolean;
  hold: { reason: string } | null;
  breached: string[];
}

/** The events as the machine sees them: the ledger payload, without personal free text. */
export type ItemMachineEvent =
  | { type: 'ASSESS'; decision: Decision; categories: string[]; registration: Registration }
  | { type: 'ACKNOWLEDGE' }
  | { type: 'ANSWER'; referredTo?: string }
  | { type: 'FORWARD'; to: string }
  | { type: 'NOTIFY_AUTHOR' }
  | { type: 'CAPTURE_EVIDENCE'; evidenceSha256?: string }
  | { type: 'UNPUBLISH'; reason: string; categories: string[] }
  | { type: 'REGISTER'; number: string; caseRef?: string }
  | { type: 'CLOSE_CONVERSATION' }
  | { type: 'HOLD'; reason: string }
  | { type: 'RELEASE_HOLD'; reason: string }
  | { type: 'THIN'; reason: string }
  | { type: 'DEADLINE_BREACHED'; deadline: string; dueAt: string };

const decided = (...decisions: Decision[]) => ({ type: 'decided', params: { decisions } }) as const;
const notThinned = not(stateIn({ records: 'thinned' }));
const handlingDone = or([
  stateIn({ handling: 'answered' }),
  stateIn({ handling: 'unpublished' }),
  stateIn({ handling: 'no_action' }),
]);

/** ASSESS, and re-assessment until the decided action is taken: no_action or an action to take (AV-5). */
const assessTransitions = [
  { guard: and(['assessPermitted', 'decidesNoAction']), target: 'no_action', actions: 'recordAssessment' },
  { guard: 'assessPermitted', target: 'assessed', actions: 'recordAssessment' },
] as const;

export const itemMachine = setup({
  types: {} as { context: ItemContext; events: ItemMachineEvent; input: ItemInput },
  guards: {
    decided: ({ context }, params: { decisions: Decision[] }) =>
      context.decision !== null && params.decisions.includes(context.decision),
    decidesNoAction: ({ event }) => event.type === 'ASSESS' && event.decision === 'no_action',
    isDirectMessage: ({ context }) => context.kind === 'direct_message',
    conversationOpen: ({ context }) => !context.conversationClosed,
    onHold: ({ context }) => context.hold !== null,
    // Rule guards: each one is a refusal check with a rule id (item.rules.ts).
    assessPermitted: ({ context, event }) => event.type === 'ASSESS' && assessRefusal(context, event) === null,
    answerPermitted: ({ context }) => answerRefusal(context) === null,
    notifyAuthorPermitted: ({ context }) => notifyAuthorRefusal(context) === null,
    unpublishPermitted: ({ context }) => unpublishRefusal(context) === null,
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
      };
    }),
    recordAcknowledgement: assign({ acknowledged: true }),
    recordForward: assign({ forwardedTo: ({ event }) => (event.type === 'FORWARD' ? event.to : null) }),
    recordAuthorNotified: assign({ authorNotified: true }),
    recordEvidence: assign({ evidence: true }),
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
    DEADLINE_BREACHED: { guard: notThinned, actions: 'recordBreach' },
  },
  states: {
    handling: {
      initial: 'received',
      states: {
        received: {
          description: 'AV-5: every incoming item is assessed',
          on: {
            ASSESS: assessTransitions,
            ACKNOWLEDGE: { actions: 'recordAcknowledgement' },
            CAPTURE_EVIDENCE: { actions: 'recordEvidence' },
          },
        },
        assessed: {
          description: 'The decision is made and its action is pending (answer, forward or unpublish)',
          on: {
            ASSESS: assessTransitions,
            ACKNOWLEDGE: { guard: decided('answer', 'forward'), actions: 'recordAcknowledgement' }, // UP-2, UP-5
            ANSWER: { guard: and([decided('answer'), 'answerPermitted']), target: 'answered' }, // TI-9
            FORWARD: { guard: decided('answer', 'forward'), target: 'forwarded', actions: 'recordForward' }, // TI-6
            NOTIFY_AUTHOR: { guard: and([decided('unpublish'), 'notifyAuthorPermitted']), actions: 'recordAuthorNotified' }, // UP-4
            CAPTURE_EVIDENCE: { actions: 'recordEvidence' }, // AV-7
            UNPUBLISH: { guard: and([decided('unpublish'), 'unpublishPermitted']), target: 'unpublished' }, // AV-7, TI-14, UP-4
          },
        },
        forwarded: {
          description: 'TI-6: handed to the responsible unit, which answers',
          on: {
            ACKNOWLEDGE: { actions: 'recordAcknowledgement' },
            ANSWER: { guard: 'answerPermitted', target: 'answered' },
            FORWARD: { actions: 'recordForward' },
            CAPTURE_EVIDENCE: { actions: 'recordEvidence' },
          },
        },
        answered: {
          on: { CAPTURE_EVIDENCE: { guard: notThinned, actions: 'recordEvidence' } },
        },
        unpublished: {
          description: 'Removed from the channel; still a public record (AV-7)',
        },
        no_action: {
          description: 'Assessed as needing no action (AV-5: not every post needs an answer)',
          on: {
            ASSESS: [
              { guard: and([notThinned, 'assessPermitted', 'decidesNoAction']), target: 'no_action', actions: 'recordAssessment' },
              { guard: and([notThinned, 'assessPermitted']), target: 'assessed', actions: 'recordAssessment' },
            ],
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
export const itemMachineWithoutRules = itemMachine.provide({
  guards: {
    assessPermitted: () => true,
    answerPermitted: () => true,
    notifyAuthorPermitted: () => true,
    unpublishPermitted: () => true,
    thinPermitted: () => true,
  },
});
