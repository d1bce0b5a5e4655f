// The organisation's policy: every number and rule id the machines, deadlines and schedules read.
// Pure data and its zod schema; imports nothing of ours.
import { z } from 'zod';

export const ruleId = z.string().regex(/^(AV|LI|TI|UP)-\d{1,2}$/, 'a rule id from RULES.md, e.g. TI-14');
export type RuleId = z.infer<typeof ruleId>;

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

export const policySchema = z
  .object({
    name: z.string().min(1),
    country: z.enum(['SE', 'NO']),
    timeZone: z.enum(['Europe/Stockholm', 'Europe/Oslo']),
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
      })
      .strict(),
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
        inactivityDays: z.number().int().positive(),
      })
      .strict(),
    platforms: z.record(z.enum(platforms), capabilitySchema),
    /** Paths of values no guideline gives, each with the reason it was chosen. */
    chosenDefaults: z.record(z.string(), z.string()),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

/** Every category an officer may use under this policy. */
export function categoriesOf(policy: Policy): string[] {
  return [...new Set([...standardCategories, ...policy.categories.prohibited])];
}
