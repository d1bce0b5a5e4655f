// The item's rule-bound facts (frozen from the policy when the item is received) and the
// refusal checks that the item machine's guards run. Pure; no XState here.
import { categoriesOf, type Policy, type Platform, type RuleId } from './policy/policy.schema.ts';

/** Copied into the item's context at receipt so replay never depends on today's policy. */
export interface ItemRules {
  canRemove: boolean;
  canMessage: boolean;
  categories: string[];
  politicalNotAnswered: RuleId | null;
  secretMustBeRemoved: RuleId | null;
  registrationAllItems: RuleId | null;
  registrationByCategory: Record<string, RuleId>;
  registrationDecisionRule: RuleId;
  evidenceRule: RuleId;
  registerFirst: RuleId | null;
  notifyAuthorFirst: RuleId | null;
  thinningRule: RuleId;
  /** AV-14: a direct message is thinned only after its conversation is closed; null where the policy has no such rule. */
  directMessageCloseRule: RuleId | null;
}

export function itemRulesOf(policy: Policy, platform: Platform): ItemRules {
  const caps = policy.platforms[platform];
  return {
    canRemove: caps?.canRemove ?? false,
    canMessage: caps?.canMessage ?? false,
    categories: categoriesOf(policy),
    politicalNotAnswered: policy.assessment.politicalNotAnswered,
    secretMustBeRemoved: policy.assessment.secretMustBeRemoved,
    registrationAllItems: policy.registration.allItems,
    registrationByCategory: Object.fromEntries(policy.registration.byCategory.map((c) => [c.category, c.rule])),
    registrationDecisionRule: policy.registration.decisionRule,
    evidenceRule: policy.removal.evidenceRule,
    registerFirst: policy.removal.registerFirst,
    notifyAuthorFirst: policy.removal.notifyAuthorFirst,
    thinningRule: policy.thinning.rule,
    directMessageCloseRule: policy.thinning.directMessagesAfterClose ? policy.thinning.rule : null,
  };
}

export type Decision = 'answer' | 'forward' | 'unpublish' | 'no_action';
export type Registration = 'required' | 'not_required';

/** What the refusal checks need to know about an item. */
export interface RuleFacts {
  kind: string;
  rules: ItemRules;
  categories: string[];
  registration: Registration | null;
  registrationRule: RuleId | null;
  evidence: boolean;
  authorNotified: boolean;
  registered: unknown;
  conversationClosed: boolean;
  hold: unknown;
}

export interface Refusal {
  rule: RuleId;
  detail: string;
}

/** The rule (if any) that makes `registration` mandatory for these categories. */
export function mandatoryRegistrationRule(rules: ItemRules, categories: readonly string[]): RuleId | null {
  if (rules.registrationAllItems) return rules.registrationAllItems; // UP-8
  for (const category of categories) {
    const rule = rules.registrationByCategory[category]; // AV-8, TI-14: secret content
    if (rule) return rule;
  }
  return null;
}

export function assessRefusal(
  facts: RuleFacts,
  event: { decision?: Decision; categories?: string[]; registration?: Registration },
): Refusal | null {
  const categories = event.categories ?? [];
  const { rules } = facts;
  if (event.decision === 'unpublish' && !rules.canRemove) {
    // UP-4 is the one guideline that states it; the platform fact binds every organisation.
    return { rule: 'UP-4', detail: 'This platform cannot remove comments; assess the item to be answered, or to need no action.' };
  }
  if (facts.registration === 'required' && event.registration === 'not_required') {
    // A decision to register is not taken back by a later assessment (LI-4, AV-8, UP-8).
    return { rule: facts.registrationRule ?? rules.registrationDecisionRule, detail: 'Registration is already required for this item.' };
  }
  if (rules.politicalNotAnswered && event.decision === 'answer' && categories.includes('political')) {
    return { rule: rules.politicalNotAnswered, detail: 'Political items are not answered.' };
  }
  if (rules.secretMustBeRemoved && rules.canRemove && categories.includes('secret') && event.decision !== 'unpublish') {
    return { rule: rules.secretMustBeRemoved, detail: 'An item with secret content must be removed from the channel.' };
  }
  const mandatory = mandatoryRegistrationRule(rules, categories);
  if (mandatory && event.registration === 'not_required') {
    return { rule: mandatory, detail: 'This item must be registered; "not_required" is not allowed under the policy.' };
  }
  return null;
}

export function answerRefusal(facts: RuleFacts): Refusal | null {
  if (facts.rules.politicalNotAnswered && facts.categories.includes('political')) {
    return { rule: facts.rules.politicalNotAnswered, detail: 'Political items are not answered.' };
  }
  return null;
}

export function notifyAuthorRefusal(facts: RuleFacts): Refusal | null {
  if (!facts.rules.canMessage) return { rule: 'UP-4', detail: 'This platform does not let the organisation message the author.' };
  return null;
}

/** UP-4, AV-7, TI-14: the ordered steps before an item may leave the channel. UP-4 is cited for the
 * platform's limits under every policy: it is the one guideline that states them. */
export function unpublishRefusal(facts: RuleFacts): Refusal | null {
  const { rules } = facts;
  if (!rules.canRemove) {
    return { rule: 'UP-4', detail: 'This platform cannot remove comments; answer, hide or report the item instead.' };
  }
  if (rules.notifyAuthorFirst && rules.canMessage && !facts.authorNotified) {
    return { rule: rules.notifyAuthorFirst, detail: 'The author must be messaged (NOTIFY_AUTHOR) before removal.' };
  }
  if (!facts.evidence) {
    return { rule: rules.evidenceRule, detail: 'Content and author must be captured (CAPTURE_EVIDENCE) before removal.' };
  }
  if (rules.registerFirst && !facts.registered) {
    return { rule: rules.registerFirst, detail: 'The item must be registered (REGISTER) before removal.' };
  }
  return null;
}

export function thinRefusal(facts: RuleFacts): Refusal | null {
  if (facts.hold) return { rule: facts.rules.thinningRule, detail: 'The item is on hold and may not be thinned.' };
  if (facts.registration === 'required') {
    return {
      rule: facts.registrationRule ?? facts.rules.registrationDecisionRule,
      detail: 'Registration is required for this item; it may not be thinned.',
    };
  }
  if (facts.rules.directMessageCloseRule && facts.kind === 'direct_message' && !facts.conversationClosed) {
    return { rule: facts.rules.directMessageCloseRule, detail: 'A direct message is thinned only after its conversation is closed.' };
  }
  return null;
}
