// item@2's rule-bound facts (frozen from the policy at receipt, like item@1's) and the refusal checks
// its guards run. item@1's checks (item.rules.ts) are reused unchanged where item@2 asks the same.
// Pure; no XState here, no clock: UP-7 counts from the instant the ASSESS event carries.
import { localDate } from './policy/calendar.ts';
import { addDays } from './policy/periods.ts';
import type { OutboundPolicy, Platform, Policy, RuleId } from './policy/policy.schema.ts';
import type { OutboundChecks } from './item.events.ts';
import {
  assessRefusal, itemRulesOf, type Decision, type ItemRules, type Refusal, type Registration, type RuleFacts,
} from './item.rules.ts';
import { deepFreeze } from './deep-freeze.ts';

/** item@1's rules plus what item@2's new guards read; copied into the context at receipt. */
export interface ItemV2Rules extends ItemRules {
  canHide: boolean;
  /** AV-9, LI-3, TI-15, UP-3: the policy's prohibited categories, under `prohibitedRule`. */
  prohibitedCategories: string[];
  prohibitedRule: RuleId;
  /** UP-4 step 3: SEND_TO_REGISTRAR before UNPUBLISH; null where it is optional. */
  sendToRegistrarFirst: RuleId | null;
  /** AV-4, LI-1, LI-6, UP-7: the checks an assessment of an own post must pass. */
  outbound: OutboundPolicy;
  /** UP-7 counts calendar days in the organisation's zone. */
  calendar: { country: Policy['country']; timeZone: Policy['timeZone'] };
  /** AV-12: the registration the policy proposes by kind ("as a rule"); the officer decides. */
  proposeByKind: Record<string, Registration>;
}

/**
 * The rules an item@2 item freezes at receipt (and a migrated item@1 item gains, see item.migrations.ts).
 * One frozen object per policy object and platform: every ingest asked for them anew, cloning the
 * policy's parts (measured: ~50 µs of an ingest's ~500 in the write worker), and a policy object
 * is never changed (db/organisations.ts keeps one per organisation and policy version).
 */
export function itemV2RulesOf(policy: Policy, platform: Platform): ItemV2Rules {
  let byPlatform = rulesByPolicy.get(policy);
  if (!byPlatform) rulesByPolicy.set(policy, (byPlatform = new Map()));
  let rules = byPlatform.get(platform);
  if (!rules) byPlatform.set(platform, (rules = deepFreeze(rulesOf(policy, platform))));
  return rules;
}

const rulesByPolicy = new WeakMap<Policy, Map<Platform, ItemV2Rules>>();

function rulesOf(policy: Policy, platform: Platform): ItemV2Rules {
  return {
    ...itemRulesOf(policy, platform),
    canHide: policy.platforms[platform]?.canHide ?? false,
    prohibitedCategories: [...policy.categories.prohibited],
    prohibitedRule: policy.categories.rule,
    sendToRegistrarFirst: policy.removal.sendToRegistrarFirst,
    outbound: structuredClone(policy.outbound),
    calendar: { country: policy.country, timeZone: policy.timeZone },
    proposeByKind: { ...policy.registration.proposeByKind },
  };
}

export type DecisionV2 = Decision | 'hide' | 'report';

/** What item@2's refusal checks need to know about an item. */
export interface RuleFactsV2 extends RuleFacts {
  rules: ItemV2Rules;
  direction: string;
  decision: DecisionV2 | null;
  sentToRegistrar: unknown;
}

export interface AssessV2 {
  decision?: DecisionV2;
  categories?: string[];
  registration?: Registration;
  checks?: OutboundChecks;
  /** The assessment's instant (ISO), added by the write path; UP-7 counts from its local date. */
  at?: string;
}

/**
 * Why ASSESS is refused, if it is. A probe without a payload (`allowed()` asks with a bare event)
 * is never refused for a missing payload: a real ASSESS always carries a decision (zod).
 */
export function assessV2Refusal(facts: RuleFactsV2, event: AssessV2): Refusal | null {
  const { rules } = facts;
  const { decision } = event;
  if ((decision === 'hide' || decision === 'report') && rules.canRemove) {
    // AV-7, UP-4: where the item can be removed, it is removed, with evidence first.
    return { rule: 'UP-4', detail: 'This platform can remove the item: assess it to be unpublished, not hidden or reported.' };
  }
  if (decision === 'hide' && !rules.canHide) {
    return { rule: 'UP-4', detail: 'This platform cannot hide the item; report it to the platform instead.' };
  }
  // item@1's checks read only `answer` and `unpublish` among decisions, so hide and report pass them unchanged.
  const v1 = assessRefusal(facts, event as { decision?: Decision; categories?: string[]; registration?: Registration });
  if (v1) return v1;
  return (decision && prohibitedRefusal(rules, decision, event.categories ?? [])) || outboundRefusal(facts, event);
}

/** AV-9, LI-3, TI-15, UP-3: prohibited content leaves the channel in the one way the platform allows. */
function prohibitedRefusal(rules: ItemV2Rules, decision: DecisionV2, categories: readonly string[]): Refusal | null {
  const found = categories.filter((category) => rules.prohibitedCategories.includes(category));
  if (found.length === 0) return null;
  if (rules.canRemove && decision !== 'unpublish') {
    return { rule: rules.prohibitedRule, detail: `Prohibited content (${found.join(', ')}) is unpublished.` };
  }
  if (!rules.canRemove && decision !== 'hide' && decision !== 'report') {
    // UP-4: comments on X cannot be removed, so the item is hidden or reported to the platform.
    return { rule: rules.prohibitedRule, detail: `Prohibited content (${found.join(', ')}) is hidden or reported where the platform cannot remove it.` };
  }
  return null;
}

/** The outbound rules the policy applies, in the order they are checked. */
function outboundRules(outbound: OutboundPolicy): RuleId[] {
  return [outbound.personalDataRule, outbound.siteLinkRule, outbound.consentRule, outbound.languageCover?.rule ?? null]
    .filter((rule): rule is RuleId => rule !== null);
}

/**
 * AV-4, LI-1, LI-6, UP-7: the checks an own post must pass. A post that fails them may still be
 * assessed to be unpublished: taking it down is how it is put right (or CORRECT, then re-assess).
 */
function outboundRefusal(facts: RuleFactsV2, event: AssessV2): Refusal | null {
  if (facts.direction !== 'outbound' || !event.decision || event.decision === 'unpublish') return null;
  const { outbound } = facts.rules;
  const { checks } = event;
  if (!checks) {
    const [first] = outboundRules(outbound);
    return first ? { rule: first, detail: 'An assessment of an own post carries its checks.' } : null;
  }
  if (outbound.personalDataRule) {
    if (checks.personalIdentityNumbers || checks.offenceData) {
      return { rule: outbound.personalDataRule, detail: 'Own posts carry no personal identity numbers and no data about offences.' };
    }
    if (checks.sensitiveData && !checks.consentRef) {
      return { rule: outbound.personalDataRule, detail: 'Sensitive personal data needs explicit consent: give its reference (consentRef).' };
    }
  }
  if (outbound.siteLinkRule && !checks.linkToSite) {
    return { rule: outbound.siteLinkRule, detail: "Every post carries a link to the municipality's site." };
  }
  if (outbound.consentRule) {
    if (checks.imagesOfPeople && !checks.consentRef) {
      return { rule: outbound.consentRule, detail: 'Images of people need documented consent: give its reference (consentRef).' };
    }
    if (checks.clientRelationship) {
      return { rule: outbound.consentRule, detail: 'A post may not reveal that someone is a client of the municipality.' };
    }
  }
  return languageRefusal(facts.rules, checks, event.at);
}

/** UP-7: a post in another language has a named person answering follow-ups for at least `days` days. */
function languageRefusal(rules: ItemV2Rules, checks: OutboundChecks, at: string | undefined): Refusal | null {
  const cover = rules.outbound.languageCover;
  if (!cover) return null;
  if (!checks.language) return { rule: cover.rule, detail: "State the post's language (checks.language)." };
  if (cover.languages.includes(checks.language)) return null;
  const needed = `someone answering follow-ups in '${checks.language}' for at least ${cover.days} days`;
  if (!checks.languageCover) return { rule: cover.rule, detail: `A post in '${checks.language}' needs ${needed} (checks.languageCover).` };
  const instant = at === undefined ? Number.NaN : Date.parse(at);
  if (Number.isNaN(instant)) return { rule: cover.rule, detail: 'The assessment carries no valid instant to count the cover from.' };
  const earliest = addDays(localDate(rules.calendar, new Date(instant)), cover.days);
  if (checks.languageCover.until < earliest) {
    return { rule: cover.rule, detail: `The cover must last until ${earliest} or later: ${needed}.` };
  }
  return null;
}

/** UP-4 step 1 applies to others' posts: the author of an own post is the organisation itself. */
function mustNotifyFirst(facts: RuleFactsV2): RuleId | null {
  const { rules } = facts;
  return rules.notifyAuthorFirst && rules.canMessage && facts.direction === 'inbound' && !facts.authorNotified
    ? rules.notifyAuthorFirst
    : null;
}

/** UP-4: the snapshot of a removal is taken after the author is told. */
export function evidenceV2Refusal(facts: RuleFactsV2): Refusal | null {
  const notify = facts.decision === 'unpublish' ? mustNotifyFirst(facts) : null;
  return notify ? { rule: notify, detail: 'The author must be messaged (NOTIFY_AUTHOR) before the snapshot is taken.' } : null;
}

/** UP-4 step 3: what goes to the registrar is the snapshot, taken after the author is told. */
export function sendToRegistrarRefusal(facts: RuleFactsV2): Refusal | null {
  const notify = mustNotifyFirst(facts);
  if (notify) return { rule: notify, detail: 'The author must be messaged (NOTIFY_AUTHOR) before the evidence goes to the registrar.' };
  if (!facts.evidence) {
    return { rule: facts.rules.evidenceRule, detail: 'The snapshot (CAPTURE_EVIDENCE) is what goes to the registrar: capture it first.' };
  }
  return null;
}

/** UP-4, AV-7, TI-14: item@1's ordered steps before removal, plus the registrar step where the policy asks for it. */
export function unpublishV2Refusal(facts: RuleFactsV2): Refusal | null {
  const { rules } = facts;
  if (!rules.canRemove) {
    return { rule: 'UP-4', detail: 'This platform cannot remove comments; answer, hide or report the item instead.' };
  }
  const notify = mustNotifyFirst(facts);
  if (notify) return { rule: notify, detail: 'The author must be messaged (NOTIFY_AUTHOR) before removal.' };
  if (!facts.evidence) {
    return { rule: rules.evidenceRule, detail: 'Content and author must be captured (CAPTURE_EVIDENCE) before removal.' };
  }
  if (rules.sendToRegistrarFirst && !facts.sentToRegistrar) {
    return { rule: rules.sendToRegistrarFirst, detail: "The evidence must go to the unit's registrar (SEND_TO_REGISTRAR) before removal." };
  }
  if (rules.registerFirst && !facts.registered) {
    return { rule: rules.registerFirst, detail: 'The item must be registered (REGISTER) before removal.' };
  }
  return null;
}
