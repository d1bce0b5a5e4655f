// account@1 over step(): APPROVE needs a complete channel decision (TI-1) and enough
// administrators (TI-4) under the policy's own numbers and rule ids; approval happens once.
import { describe, expect, it } from 'vitest';
import {
  accountStatus, accountStepper, startAccount, type AccountInput, type AccountSnapshot,
} from '../../machines/account.machine.ts';
import { presets, type PresetName } from '../../machines/policy/presets.ts';

interface Decision {
  hasPurpose: boolean;
  hasAudience: boolean;
  hasResponsible: boolean;
  hasSubstitute: boolean;
  adminCount: number;
}

const complete: Decision = { hasPurpose: true, hasAudience: true, hasResponsible: true, hasSubstitute: true, adminCount: 2 };

/** The machine's input as the registry builds it: the channel decision plus the preset's account rules. */
function inputFor(preset: PresetName, decision: Partial<Decision> = {}): AccountInput {
  const { accounts } = presets[preset];
  return {
    platform: 'facebook',
    ...complete,
    ...decision,
    approvalRule: accounts.approvalRule,
    requireSubstitute: accounts.requireSubstitute,
    minAdmins: accounts.minAdmins,
    minAdminsRule: accounts.minAdminsRule,
  };
}

const approve = (snapshot: AccountSnapshot) => accountStepper.step(snapshot, { type: 'APPROVE' });

describe('account@1: APPROVE under tibro (TI-1, TI-4)', () => {
  it('approves a complete decision with two administrators into active', () => {
    const outcome = approve(startAccount(inputFor('tibro')));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(accountStatus(outcome.snapshot)).toBe('active');
    expect(outcome.snapshot.context.approved).toBe(true);
  });

  it.each([
    ['purpose', { hasPurpose: false }],
    ['audience', { hasAudience: false }],
    ['responsible person', { hasResponsible: false }],
    ['substitute', { hasSubstitute: false }],
  ] as const)('refuses APPROVE when the decision lacks a %s (TI-1)', (missing, change) => {
    expect(approve(startAccount(inputFor('tibro', change)))).toMatchObject({
      ok: false, code: 'refused', rule: 'TI-1', detail: expect.stringContaining(missing), allowed: [],
    });
  });

  it('names every missing field of the decision in one refusal (TI-1)', () => {
    const outcome = approve(startAccount(inputFor('tibro', { hasPurpose: false, hasAudience: false, hasResponsible: false, hasSubstitute: false })));
    expect(outcome).toMatchObject({ code: 'refused', rule: 'TI-1', detail: 'The channel decision lacks: purpose, audience, responsible person, substitute.' });
  });

  it.each([0, 1])('refuses APPROVE with %i administrator(s), fewer than the two TI-4 asks for', (adminCount) => {
    expect(approve(startAccount(inputFor('tibro', { adminCount })))).toMatchObject({
      ok: false, code: 'refused', rule: 'TI-4', detail: expect.stringContaining('At least 2 administrators'),
    });
  });

  it('reports a missing field (TI-1) before too few administrators (TI-4)', () => {
    expect(approve(startAccount(inputFor('tibro', { hasPurpose: false, adminCount: 1 })))).toMatchObject({ rule: 'TI-1' });
  });

  it('stays proposed after a refusal and lists no allowed events while APPROVE is refused', () => {
    const proposed = startAccount(inputFor('tibro', { adminCount: 1 }));
    expect(accountStatus(proposed)).toBe('proposed');
    expect(accountStepper.allowed(proposed)).toEqual([]);
    expect(accountStepper.allowed(startAccount(inputFor('tibro')))).toEqual(['APPROVE']);
  });
});

describe('account@1: APPROVE under the other presets', () => {
  it('approves one administrator under avesta, which asks for no more (chosen default)', () => {
    const outcome = approve(startAccount(inputFor('avesta', { adminCount: 1 })));
    expect(outcome.ok && accountStatus(outcome.snapshot)).toBe('active');
  });

  it('refuses APPROVE with no administrator at all under avesta, citing its approval rule AV-1', () => {
    expect(approve(startAccount(inputFor('avesta', { adminCount: 0 })))).toMatchObject({ code: 'refused', rule: 'AV-1' });
  });

  it('refuses APPROVE without a substitute under avesta (AV-5 substitute, cited as AV-1)', () => {
    expect(approve(startAccount(inputFor('avesta', { hasSubstitute: false })))).toMatchObject({
      code: 'refused', rule: 'AV-1', detail: expect.stringContaining('substitute'),
    });
  });

  it.each([
    ['lillesand', 'LI-5'],
    ['uppsala', 'UP-6'],
  ] as const)('approves one administrator and no substitute under %s, and cites %s for a missing purpose', (preset, rule) => {
    const outcome = approve(startAccount(inputFor(preset, { hasSubstitute: false, adminCount: 1 })));
    expect(outcome.ok).toBe(true);
    expect(approve(startAccount(inputFor(preset, { hasPurpose: false })))).toMatchObject({ code: 'refused', rule });
  });
});

describe('account@1: approval happens once', () => {
  it('does not allow APPROVE twice: the second is not_allowed, not refused', () => {
    const first = approve(startAccount(inputFor('tibro')));
    if (!first.ok) throw new Error(first.detail);
    expect(approve(first.snapshot)).toMatchObject({ ok: false, code: 'not_allowed', allowed: [] });
    expect(accountStepper.allowed(first.snapshot)).toEqual([]);
  });

  it('restores a stored active account that still refuses a second APPROVE', () => {
    const first = approve(startAccount(inputFor('avesta', { adminCount: 1 })));
    if (!first.ok) throw new Error(first.detail);
    const restored = accountStepper.restore(JSON.parse(JSON.stringify({ value: first.snapshot.value, context: first.snapshot.context })) as never);
    expect(accountStatus(restored)).toBe('active');
    expect(approve(restored)).toMatchObject({ code: 'not_allowed' });
  });
});
