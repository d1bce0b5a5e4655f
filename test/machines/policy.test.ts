// The presets say what RULES.md says, mark what they chose, and a custom policy is validated.
import { describe, expect, it } from 'vitest';
import { accountStepper, startAccount, type AccountInput } from '../../machines/account.machine.ts';
import { platformCapabilities } from '../../machines/policy/platforms.ts';
import { policySchema } from '../../machines/policy/policy.schema.ts';
import { presetNames, presets, resolvePolicy } from '../../machines/policy/presets.ts';

function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);
}

describe('the presets', () => {
  it.each(presetNames)('%s validates against the policy schema', (name) => {
    expect(policySchema.safeParse(presets[name]).success).toBe(true);
  });

  it.each(presetNames)('%s marks only values that exist as chosen defaults, each with a reason', (name) => {
    for (const [path, why] of Object.entries(presets[name].chosenDefaults)) {
      expect(valueAt(presets[name], path), path).not.toBeUndefined();
      expect(why.length).toBeGreaterThan(10);
    }
  });

  it('gives Tibro 48 weekday hours to answer (TI-6), 48 clock hours to remove (TI-14), two administrators (TI-4)', () => {
    expect(presets.tibro.windows.answer).toEqual({ hours: 48, on: 'weekdays' });
    expect(presets.tibro.windows.remove).toEqual({ hours: 48, on: 'clock' });
    expect(presets.tibro.accounts).toMatchObject({ minAdmins: 2, minAdminsRule: 'TI-4', inactivityDays: 7 });
  });

  it('assesses by the end of the next weekday under every preset (AV-6, TI-2)', () => {
    for (const name of presetNames) expect(presets[name].windows.assess).toEqual({ endOfWeekday: 1 });
  });

  it('makes registration mandatory for every item under Uppsala (UP-8) and thins after six months under Avesta and Tibro (AV-14, TI-13)', () => {
    expect(presets.uppsala.registration.allItems).toBe('UP-8');
    expect(presets.avesta.thinning).toMatchObject({ afterMonths: 6, rule: 'AV-14', directMessagesAfterClose: true });
    expect(presets.tibro.thinning).toMatchObject({ afterMonths: 6, rule: 'TI-13' });
  });

  it('marks the windows Avesta gives only as "promptly" as chosen', () => {
    expect(Object.keys(presets.avesta.chosenDefaults)).toEqual(expect.arrayContaining(['windows.answer', 'windows.remove']));
    expect(Object.keys(presets.tibro.chosenDefaults)).not.toContain('windows.answer');
  });

  it('knows X cannot remove a comment (UP-4) and the other platforms can remove and message the author', () => {
    expect(platformCapabilities.x.canRemove).toBe(false);
    for (const platform of ['facebook', 'instagram', 'youtube', 'linkedin', 'tiktok'] as const) {
      expect(platformCapabilities[platform]).toMatchObject({ canRemove: true, canMessage: true });
    }
  });
});

describe('custom policies', () => {
  it('merges overrides into a preset', () => {
    const result = resolvePolicy('avesta', { accounts: { minAdmins: 3 } });
    expect(result.success && result.data.accounts).toMatchObject({ minAdmins: 3, approvalRule: 'AV-1' });
  });

  it.each([
    ['a number below its minimum', { accounts: { minAdmins: 0 } }, 'accounts.minAdmins'],
    ['an unknown key', { accounts: { colour: 'blue' } }, 'accounts'],
    ['a rule id not in RULES.md form', { thinning: { rule: 'gallra' } }, 'thinning.rule'],
    ['a window counted in unknown units', { windows: { answer: { hours: 4, on: 'fortnights' } } }, 'windows.answer'],
  ])('refuses %s with the path of the problem', (_what, overrides, path) => {
    const result = resolvePolicy('tibro', overrides);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContainEqual(expect.stringContaining(path));
  });
});

describe('account@1', () => {
  const complete: AccountInput = {
    platform: 'facebook', hasPurpose: true, hasAudience: true, hasResponsible: true, hasSubstitute: true, adminCount: 2,
    approvalRule: 'TI-1', requireSubstitute: true, minAdmins: 2, minAdminsRule: 'TI-4',
  };
  const approve = (input: AccountInput) => accountStepper.step(startAccount(input), { type: 'APPROVE' });

  it('approves a complete channel decision into active', () => {
    const outcome = approve(complete);
    expect(outcome.ok && outcome.snapshot.value).toBe('active');
  });

  it.each([
    ['purpose', { hasPurpose: false }],
    ['audience', { hasAudience: false }],
    ['responsible person', { hasResponsible: false }],
    ['substitute', { hasSubstitute: false }],
  ] as const)('refuses APPROVE without a %s with TI-1', (missing, change) => {
    expect(approve({ ...complete, ...change })).toMatchObject({ ok: false, rule: 'TI-1', detail: expect.stringContaining(missing) });
  });

  it('refuses APPROVE with fewer administrators than the policy asks with TI-4', () => {
    expect(approve({ ...complete, adminCount: 1 })).toMatchObject({ ok: false, rule: 'TI-4' });
  });

  it('approves one administrator and no substitute where the policy asks no more (Uppsala)', () => {
    expect(approve({ ...complete, hasSubstitute: false, adminCount: 1, requireSubstitute: false, minAdmins: 1, approvalRule: 'UP-6', minAdminsRule: 'UP-6' }).ok).toBe(true);
  });

  it('does not APPROVE an active account again', () => {
    const active = approve(complete);
    expect(active.ok && accountStepper.step(active.snapshot, { type: 'APPROVE' })).toMatchObject({ ok: false, code: 'not_allowed' });
  });
});
