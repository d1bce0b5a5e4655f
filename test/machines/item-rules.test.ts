// Each guard of item@1 refuses with the rule id of the guideline it comes from.
import { describe, expect, it } from 'vitest';
import type { ItemMachineEvent } from '../../machines/item.machine.ts';
import { stepItem } from '../../machines/item.step.ts';
import { drive, events } from '../helpers/item-machine.ts';

const assessUnpublish: ItemMachineEvent = { type: 'ASSESS', decision: 'unpublish', categories: ['personal_attack'], registration: 'required' };
const refusal = (outcome: ReturnType<typeof stepItem>) => (outcome.ok ? 'accepted' : outcome.code === 'refused' ? outcome.rule : outcome.code);

describe('evidence before removal (AV-7, TI-14, UP-4)', () => {
  it.each([
    ['avesta', 'AV-7'],
    ['tibro', 'TI-14'],
    ['lillesand', 'LI-4'],
  ] as const)('refuses UNPUBLISH under %s before CAPTURE_EVIDENCE with %s', (preset, rule) => {
    expect(refusal(stepItem(drive(preset, [assessUnpublish]), events.UNPUBLISH))).toBe(rule);
  });

  it('refuses UNPUBLISH under uppsala before evidence (UP-4), once the author has been told', () => {
    expect(refusal(stepItem(drive('uppsala', [assessUnpublish, events.NOTIFY_AUTHOR]), events.UNPUBLISH))).toBe('UP-4');
  });

  it('accepts UNPUBLISH under avesta once evidence is captured', () => {
    expect(refusal(stepItem(drive('avesta', [assessUnpublish, events.CAPTURE_EVIDENCE]), events.UNPUBLISH))).toBe('accepted');
  });
});

describe('registered before removal under Tibro (TI-14)', () => {
  it('refuses UNPUBLISH with evidence but no registration, and accepts it after REGISTER', () => {
    const evidenced = drive('tibro', [assessUnpublish, events.CAPTURE_EVIDENCE]);
    const refused = stepItem(evidenced, events.UNPUBLISH);
    expect(refused).toMatchObject({ ok: false, code: 'refused', rule: 'TI-14', detail: expect.stringMatching(/register/i) });
    expect(refusal(stepItem(drive('tibro', [assessUnpublish, events.CAPTURE_EVIDENCE, events.REGISTER]), events.UNPUBLISH))).toBe('accepted');
  });
});

describe('the author is told first where the platform can message (UP-4)', () => {
  it('refuses UNPUBLISH under uppsala on facebook before NOTIFY_AUTHOR even with evidence', () => {
    const outcome = stepItem(drive('uppsala', [assessUnpublish, events.CAPTURE_EVIDENCE]), events.UNPUBLISH);
    expect(outcome).toMatchObject({ code: 'refused', rule: 'UP-4', detail: expect.stringMatching(/NOTIFY_AUTHOR/) });
  });

  it('accepts UNPUBLISH after NOTIFY_AUTHOR and CAPTURE_EVIDENCE', () => {
    expect(refusal(stepItem(drive('uppsala', [assessUnpublish, events.NOTIFY_AUTHOR, events.CAPTURE_EVIDENCE]), events.UNPUBLISH))).toBe('accepted');
  });

  it('does not ask for NOTIFY_AUTHOR on a platform that cannot message the author', () => {
    const snapshot = drive('uppsala', [assessUnpublish, events.CAPTURE_EVIDENCE], { platform: 'other' });
    expect(refusal(stepItem(snapshot, events.UNPUBLISH))).toBe('accepted');
  });
});

describe('removal is impossible on X (UP-4)', () => {
  it.each(['avesta', 'tibro', 'uppsala', 'lillesand'] as const)('refuses UNPUBLISH on x under %s with UP-4', (preset) => {
    const snapshot = drive(preset, [assessUnpublish, events.CAPTURE_EVIDENCE, events.REGISTER], { platform: 'x' });
    expect(stepItem(snapshot, events.UNPUBLISH)).toMatchObject({ code: 'refused', rule: 'UP-4', detail: expect.stringMatching(/cannot remove/) });
  });

  it('refuses NOTIFY_AUTHOR on x, which cannot message the author (UP-4)', () => {
    expect(refusal(stepItem(drive('uppsala', [assessUnpublish], { platform: 'x' }), events.NOTIFY_AUTHOR))).toBe('UP-4');
  });
});

describe('no thinning while registration is required (LI-4, UP-8, AV-8)', () => {
  const noAction = (registration: 'required' | 'not_required', categories = ['praise']): ItemMachineEvent =>
    ({ type: 'ASSESS', decision: 'no_action', categories, registration });

  it('refuses THIN under lillesand when the officer decided registration is required (LI-4)', () => {
    expect(refusal(stepItem(drive('lillesand', [noAction('required')]), events.THIN))).toBe('LI-4');
  });

  it('refuses THIN under uppsala, where every item must be registered (UP-8)', () => {
    expect(refusal(stepItem(drive('uppsala', [noAction('required')]), events.THIN))).toBe('UP-8');
  });

  it('refuses ASSESS with registration not_required under uppsala (UP-8)', () => {
    expect(refusal(stepItem(drive('uppsala', []), noAction('not_required')))).toBe('UP-8');
  });

  it('refuses ASSESS of secret content with registration not_required under avesta (AV-8)', () => {
    const secret: ItemMachineEvent = { type: 'ASSESS', decision: 'unpublish', categories: ['secret'], registration: 'not_required' };
    expect(refusal(stepItem(drive('avesta', []), secret))).toBe('AV-8');
  });

  it('refuses THIN of a secret item under avesta with AV-8, the rule that made registration mandatory', () => {
    const secret: ItemMachineEvent = { type: 'ASSESS', decision: 'unpublish', categories: ['secret'], registration: 'required' };
    const unpublished = drive('avesta', [secret, events.CAPTURE_EVIDENCE, events.UNPUBLISH]);
    expect(refusal(stepItem(unpublished, events.THIN))).toBe('AV-8');
  });

  it('requires secret content to be unpublished under avesta (AV-8), except on x where it cannot be', () => {
    const secretAnswer: ItemMachineEvent = { type: 'ASSESS', decision: 'answer', categories: ['secret'], registration: 'required' };
    expect(refusal(stepItem(drive('avesta', []), secretAnswer))).toBe('AV-8');
    expect(refusal(stepItem(drive('avesta', [], { platform: 'x' }), secretAnswer))).toBe('accepted');
  });

  it('accepts THIN of a no-action item under avesta when registration is not required', () => {
    expect(refusal(stepItem(drive('avesta', [noAction('not_required')]), events.THIN))).toBe('accepted');
  });
});

describe('direct messages are thinned only after the conversation has ended (AV-14)', () => {
  const noAction: ItemMachineEvent = { type: 'ASSESS', decision: 'no_action', categories: ['question'], registration: 'not_required' };

  it('refuses THIN of a direct message before CLOSE_CONVERSATION and accepts it after', () => {
    const open = drive('avesta', [noAction], { kind: 'direct_message' });
    expect(refusal(stepItem(open, events.THIN))).toBe('AV-14');
    const closed = drive('avesta', [noAction, events.CLOSE_CONVERSATION], { kind: 'direct_message' });
    expect(refusal(stepItem(closed, events.THIN))).toBe('accepted');
  });

  it('accepts CLOSE_CONVERSATION once, on a direct message only', () => {
    expect(refusal(stepItem(drive('avesta', [], { kind: 'direct_message' }), events.CLOSE_CONVERSATION))).toBe('accepted');
    expect(refusal(stepItem(drive('avesta', [events.CLOSE_CONVERSATION], { kind: 'direct_message' }), events.CLOSE_CONVERSATION))).toBe('not_allowed');
    expect(refusal(stepItem(drive('avesta', []), events.CLOSE_CONVERSATION))).toBe('not_allowed');
  });
});

describe('holds', () => {
  const noAction: ItemMachineEvent = { type: 'ASSESS', decision: 'no_action', categories: ['praise'], registration: 'not_required' };

  it.each([
    ['avesta', 'AV-14'],
    ['tibro', 'TI-13'],
    ['lillesand', 'LI-4'],
  ] as const)('refuses THIN of a held item under %s with its thinning rule %s, and accepts it after RELEASE_HOLD', (preset, rule) => {
    expect(refusal(stepItem(drive(preset, [noAction, events.HOLD]), events.THIN))).toBe(rule);
    expect(refusal(stepItem(drive(preset, [noAction, events.HOLD, events.RELEASE_HOLD]), events.THIN))).toBe('accepted');
  });
});

describe('political items are not answered under Tibro (TI-9)', () => {
  const political = (decision: 'answer' | 'forward'): ItemMachineEvent =>
    ({ type: 'ASSESS', decision, categories: ['political'], registration: 'not_required' });

  it('refuses ASSESS of a political item for an answer under tibro with TI-9, but not under avesta', () => {
    expect(refusal(stepItem(drive('tibro', []), political('answer')))).toBe('TI-9');
    expect(refusal(stepItem(drive('avesta', []), political('answer')))).toBe('accepted');
  });

  it('refuses ANSWER of a forwarded political item under tibro with TI-9', () => {
    const forwarded = drive('tibro', [political('forward'), events.FORWARD]);
    expect(refusal(stepItem(forwarded, events.ANSWER))).toBe('TI-9');
  });
});
