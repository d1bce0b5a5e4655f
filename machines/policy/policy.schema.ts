// The organisation's policy: every number and rule id the machines, deadlines and schedules read.
// Pure data and its zod schema; imports only the country table and the rulebook's ids.
import { z } from 'zod';
import { countries, countryCalendars } from './countries.ts';
import { rulebookIds } from './rulebook-ids.ts';

/** A rule id: the organisation's own (e.g. KS-3) or one of RULES.md's (e.g. TI-14); which, the policy's refinement checks. */
export const ruleId = z.string().regex(/^[\p{L}\p{Nd}-]{1,12}$/u, 'a rule id: 1–12 letters, digits and dashes, e.g. KS-3');
export type RuleId = z.infer<typeof ruleId>;

/** One rule of the organisation's own guideline: what a refusal cites and the pages show. */
export const ownRuleSchema = z
  .object({
    id: ruleId,
    text: z.string().trim().min(1).max(4000),
    /** Where the rule is written: the guideline, its date and section. */
    source: z.string().trim().min(1).max(500),
  })
  .strict();
export type OwnRule = z.infer<typeof ownRuleSchema>;

export const platforms = ['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'tiktok', 'other'] as const;
export type Platform = (typeof platforms)[number];

/** The categories every policy knows; a policy adds its prohibited ones (AV-9, LI-3, TI-15, UP-3). */
export const standardCategories = ['question', 'criticism', 'praise', 'political', 'secret', 'off_topic'] as const;

/** A deadline window: hours counted on weekdays or on the clock, or "end of the Nth weekday after". */
export const windowSchema = z.union([
  z.object({ hours: z.number().positive().max(24 * 365), on: z.enum(['weekdays', 'clock']) }).strict(),
  z.object({ endOfWeekday: z.number().int().min(0).max(60) }).strict(),
]);
export type Window = z.infer<typeof windowSchema>;

const capabilitySchema = z
  .object({ canRemove: z.boolean(), canHide: z.boolean(), canMessage: z.boolean() })
  .strict();
export type PlatformCapabilities = z.infer<typeof capabilitySchema>;

/** What a channel's profile may show (AV-3, AV-10, TI-2, TI-16): the account's profile checklist. */
export const profileItems = ['logo', 'siteLink', 'contact', 'publicRecordsNotice', 'moderationNotice'] as const;
export type ProfileItem = (typeof profileItems)[number];

/** The formats a channel snapshot is recorded in; TI-12 asks for PDF/A-1. */
export const snapshotFormats = ['pdf', 'pdf/a-1', 'png'] as const;
export type SnapshotFormat = (typeof snapshotFormats)[number];

/** Languages are ISO 639 codes in lower case ('sv', 'en', 'ar', 'so'). */
export const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 language code in lower case');

const outboundSchema = z
  .object({
    /** AV-4: no personal identity numbers nor offence data; sensitive personal data only with consent. */
    personalDataRule: ruleId.nullable(),
    /** LI-1: every post links to the organisation's own site. */
    siteLinkRule: ruleId.nullable(),
    /** LI-6: images of people only with documented consent; no client relationship revealed. */
    consentRule: ruleId.nullable(),
    /** UP-7: a post in another language needs someone to answer follow-ups in it for `days` days. */
    languageCover: z
      .object({ rule: ruleId, languages: z.array(languageCode).min(1), days: z.number().int().positive().max(365) })
      .strict()
      .nullable(),
  })
  .strict();
export type OutboundPolicy = z.infer<typeof outboundSchema>;

/** A policy written before item@2 checks nothing on own posts: item@2 then asks what item@1 asked. */
export const noOutboundChecks: OutboundPolicy = { personalDataRule: null, siteLinkRule: null, consentRule: null, languageCover: null };

export const policySchema = z
  .object({
    name: z.string().min(1),
    country: z.enum(countries),
    /** The country's zone (countries.ts); named so a reader of the policy sees it. */
    timeZone: z.enum(Object.values(countryCalendars).map((c) => c.timeZone) as [string, ...string[]]),
    /** The organisation's own rules, each citable beside RULES.md's ids. */
    rules: z.array(ownRuleSchema).max(500).default([]),
    windows: z.object({ assess: windowSchema, answer: windowSchema, remove: windowSchema }).strict(),
    categories: z
      .object({ prohibited: z.array(z.string().regex(/^[a-z_]{2,40}$/)).min(1), rule: ruleId })
      .strict(),
    assessment: z
      .object({
        /** TI-9: political items are not answered. */
        politicalNotAnswered: ruleId.nullable(),
        /** AV-8, TI-14: secret content must be removed (where the platform can remove). */
        secretMustBeRemoved: ruleId.nullable(),
      })
      .strict(),
    registration: z
      .object({
        /** UP-8: every item must be registered. */
        allItems: ruleId.nullable(),
        /** AV-8: an item in one of these categories must be registered. */
        byCategory: z.array(z.object({ category: z.string(), rule: ruleId }).strict()),
        /** The rule under which an officer's "required" decision binds the item (LI-4, AV-12, TI-11). */
        decisionRule: ruleId,
        /** AV-12: "as a rule" — only a proposal shown to the officer, never enforced. */
        proposeByKind: z.record(z.string(), z.enum(['required', 'not_required'])),
      })
      .strict(),
    removal: z
      .object({
        /** AV-7, TI-14, UP-4: content and author are captured before removal. */
        evidenceRule: ruleId,
        /** TI-14: the item is registered before removal. */
        registerFirst: ruleId.nullable(),
        /** UP-4 step 1: the author is messaged first where the platform allows it. */
        notifyAuthorFirst: ruleId.nullable(),
        /** UP-4 step 3 (item@2): the evidence goes with the reason to the unit's registrar before removal. */
        sendToRegistrarFirst: ruleId.nullable().default(null),
      })
      .strict(),
    /** item@2: what an assessment of the organisation's own post checks, each under its rule; null: not checked. */
    outbound: outboundSchema.default(noOutboundChecks),
    thinning: z
      .object({
        /** AV-14, TI-13: months after which items of temporary value are thinned; null: never by age. */
        afterMonths: z.number().int().positive().nullable(),
        rule: ruleId,
        /** AV-14: direct messages are thinned once the conversation is closed. */
        directMessagesAfterClose: z.boolean(),
      })
      .strict(),
    accounts: z
      .object({
        /** The rule under which a channel is decided and approved (AV-1, LI-5, TI-1, UP-6). */
        approvalRule: ruleId,
        requireSubstitute: z.boolean(),
        minAdmins: z.number().int().min(1).max(20),
        minAdminsRule: ruleId,
        /** TI-5, UP-6: days without an outbound item before the account is reviewed. */
        inactivityDays: z.number().int().positive(),
        inactivityRule: ruleId,
        /** Profile items approval requires, each under its rule (AV-3, AV-10, TI-2, TI-16). Replaced whole. */
        profile: z.partialRecord(z.enum(profileItems), ruleId),
        /** AV-6, TI-2: supervised every weekday; AV-6 asks it only where posts can be removed. */
        monitoring: z.object({ rule: ruleId, onlyWhereRemovable: z.boolean() }).strict().nullable(),
        /** AV-11, TI-12, UP-10: a snapshot is due in each period starting in these months (local time). */
        snapshots: z
          .object({
            rule: ruleId,
            months: z.array(z.number().int().min(1).max(12)).min(1).max(12),
            format: z.enum(snapshotFormats).nullable(),
          })
          .strict()
          .nullable(),
        /** TI-8: more than `threshold` items assessed criticism within `windowHours` flags the account. */
        surge: z
          .object({ rule: ruleId, threshold: z.number().int().positive(), windowHours: z.number().int().min(1).max(168) })
          .strict()
          .nullable(),
      })
      .strict(),
    platforms: z.record(z.enum(platforms), capabilitySchema),
    /** Paths of values no guideline gives, each with the reason it was chosen. */
    chosenDefaults: z.record(z.string(), z.string()),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (countryCalendars[policy.country].timeZone !== policy.timeZone) {
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `${policy.country} runs on ${countryCalendars[policy.country].timeZone}` });
    }
    const own = new Set<string>();
    policy.rules.forEach((rule, i) => {
      if (own.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${rule.id} is given twice` });
      own.add(rule.id);
    });
    for (const { path, id } of citedRules(policy)) {
      if (!own.has(id) && !rulebookIds.has(id)) {
        ctx.addIssue({ code: 'custom', path, message: `${id} is neither one of the policy's rules nor a rule of RULES.md` });
      }
    }
  });

export type Policy = z.infer<typeof policySchema>;

type Cited = { path: (string | number)[]; id: string };

/** Every rule id the policy cites, with its path: what a refusal or a schedule may answer with. */
export function citedRules(policy: Omit<Policy, 'rules'>): Cited[] {
  const cited: Cited[] = [];
  const add = (path: (string | number)[], id: string | null | undefined) => {
    if (id) cited.push({ path, id });
  };
  add(['categories', 'rule'], policy.categories.rule);
  for (const key of ['politicalNotAnswered', 'secretMustBeRemoved'] as const) add(['assessment', key], policy.assessment[key]);
  add(['registration', 'allItems'], policy.registration.allItems);
  policy.registration.byCategory.forEach((entry, i) => add(['registration', 'byCategory', i, 'rule'], entry.rule));
  add(['registration', 'decisionRule'], policy.registration.decisionRule);
  for (const key of ['evidenceRule', 'registerFirst', 'notifyAuthorFirst', 'sendToRegistrarFirst'] as const) add(['removal', key], policy.removal[key]);
  for (const key of ['personalDataRule', 'siteLinkRule', 'consentRule'] as const) add(['outbound', key], policy.outbound[key]);
  add(['outbound', 'languageCover', 'rule'], policy.outbound.languageCover?.rule);
  add(['thinning', 'rule'], policy.thinning.rule);
  const { accounts } = policy;
  for (const key of ['approvalRule', 'minAdminsRule', 'inactivityRule'] as const) add(['accounts', key], accounts[key]);
  for (const [item, id] of Object.entries(accounts.profile)) add(['accounts', 'profile', item], id);
  add(['accounts', 'monitoring', 'rule'], accounts.monitoring?.rule);
  add(['accounts', 'snapshots', 'rule'], accounts.snapshots?.rule);
  add(['accounts', 'surge', 'rule'], accounts.surge?.rule);
  return cited;
}

/** Every category an officer may use under this policy. */
export function categoriesOf(policy: Policy): string[] {
  return [...new Set([...standardCategories, ...policy.categories.prohibited])];
}
