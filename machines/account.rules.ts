// What account@2's guards read, and the refusal each rule guard gives. The channel's facts come
// from its registry entry; the rules are frozen from the policy when the account is proposed, so
// a replay years later needs nothing but the ledger. Pure.
import type { Refusal } from './item.rules.ts';
import {
  profileItems, type Policy, type ProfileItem, type RuleId, type SnapshotFormat,
} from './policy/policy.schema.ts';

/** The channel decision's facts as approval sees them (TI-1, TI-4, AV-3, AV-10, TI-16). */
export interface AccountFacts {
  hasPurpose: boolean;
  hasAudience: boolean;
  hasResponsible: boolean;
  hasSubstitute: boolean;
  adminCount: number;
  /** The profile checklist: what the channel's profile shows. */
  profile: Record<ProfileItem, boolean>;
}

export interface AccountRules {
  approvalRule: RuleId;
  requireSubstitute: boolean;
  minAdmins: number;
  minAdminsRule: RuleId;
  /** Profile items approval requires, each under its rule. */
  profile: Partial<Record<ProfileItem, RuleId>>;
  /** TI-12: the format every snapshot must have, when the policy names one. */
  snapshotFormat: { format: SnapshotFormat; rule: RuleId } | null;
}

/** AV-13 is the one rule that says a closed forum's content is saved first; every policy cites it. */
export const closingSnapshotRule: RuleId = 'AV-13';

export function accountRulesOf(policy: Policy): AccountRules {
  const { accounts } = policy;
  return {
    approvalRule: accounts.approvalRule,
    requireSubstitute: accounts.requireSubstitute,
    minAdmins: accounts.minAdmins,
    minAdminsRule: accounts.minAdminsRule,
    profile: { ...accounts.profile },
    snapshotFormat:
      accounts.snapshots?.format ? { format: accounts.snapshots.format, rule: accounts.snapshots.rule } : null,
  };
}

export const noProfile: Record<ProfileItem, boolean> = {
  logo: false, siteLink: false, contact: false, publicRecordsNotice: false, moderationNotice: false,
};

const profileLabels: Record<ProfileItem, string> = {
  logo: 'logo',
  siteLink: 'link to the organisation\'s site',
  contact: 'contact',
  publicRecordsNotice: 'public-records notice',
  moderationNotice: 'moderation notice',
};

/** APPROVE: the decision is complete (TI-1), enough administrators (TI-4), the profile shows what the policy asks. */
export function approveRefusal(facts: AccountFacts, rules: AccountRules): Refusal | null {
  const missing = [
    facts.hasPurpose ? null : 'purpose',
    facts.hasAudience ? null : 'audience',
    facts.hasResponsible ? null : 'responsible person',
    rules.requireSubstitute && !facts.hasSubstitute ? 'substitute' : null,
  ].filter((field) => field !== null);
  if (missing.length > 0) {
    // TI-1: the decision states purpose, channel, audience and responsible person; a substitute is designated.
    return { rule: rules.approvalRule, detail: `The channel decision lacks: ${missing.join(', ')}.` };
  }
  if (facts.adminCount < rules.minAdmins) {
    // TI-4: at least two people can administer every account.
    return { rule: rules.minAdminsRule, detail: `At least ${rules.minAdmins} administrators are required; ${facts.adminCount} given.` };
  }
  const unmet = profileItems.filter((item) => rules.profile[item] !== undefined && !facts.profile[item]);
  const first = unmet[0];
  if (first !== undefined) {
    // AV-3, AV-10, TI-2, TI-16: the profile shows logo, site link, contact and the notices.
    return {
      rule: rules.profile[first]!,
      detail: `The profile does not yet show: ${unmet.map((item) => `${profileLabels[item]} (${rules.profile[item]})`).join(', ')}.`,
    };
  }
  return null;
}

/** TI-4: an active account is short of administrators, or has lost the substitute the policy asks for. */
export function adminsShort(facts: AccountFacts, rules: AccountRules): boolean {
  return facts.adminCount < rules.minAdmins || (rules.requireSubstitute && !facts.hasSubstitute);
}

/** SNAPSHOT: in the format the policy names (TI-12: PDF/A-1). */
export function snapshotRefusal(rules: AccountRules, format: SnapshotFormat): Refusal | null {
  if (rules.snapshotFormat && rules.snapshotFormat.format !== format) {
    return { rule: rules.snapshotFormat.rule, detail: `Snapshots are saved as ${rules.snapshotFormat.format}; this one is ${format}.` };
  }
  return null;
}

/** CLOSE: the channel's content is saved in a final snapshot first (AV-13). */
export function closeRefusal(finalSnapshot: boolean): Refusal | null {
  if (finalSnapshot) return null;
  return { rule: closingSnapshotRule, detail: 'Record a final snapshot of the channel (SNAPSHOT with "final": true) before closing it.' };
}
