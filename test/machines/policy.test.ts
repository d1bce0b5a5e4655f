// The presets say what RULES.md says and mark what they chose; platform capabilities; a custom
// policy is a preset with overrides, validated by zod. (account@1 approval: account.machine.test.ts.)
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { itemRulesOf } from '../../machines/item.rules.ts';
import { platformCapabilities } from '../../machines/policy/platforms.ts';
import { categoriesOf, noOutboundChecks, platforms, policySchema, standardCategories } from '../../machines/policy/policy.schema.ts';
import { presetNames, presets, resolvePolicy } from '../../machines/policy/presets.ts';

/** Whether a dotted path names an own property at every level (a null value still exists). */
function pathExists(object: unknown, path: string): boolean {
  let value: unknown = object;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}

describe('the presets', () => {
  it('ships exactly the four presets of RULES.md', () => {
    expect([...presetNames].sort()).toEqual(['avesta', 'lillesand', 'tibro', 'uppsala']);
  });

  it.each(presetNames)('%s validates against the policy schema', (name) => {
    const result = policySchema.safeParse(presets[name]);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it.each(presetNames)('%s resolves without overrides to itself', (name) => {
    const result = resolvePolicy(name);
    expect(result.success && result.data).toEqual(presets[name]);
  });

  it.each(presetNames.flatMap((name) => Object.keys(presets[name].chosenDefaults).map((path) => [name, path] as const)))(
    '%s: chosenDefaults key %s names a path that exists in the preset, with a reason',
    (name, path) => {
      expect(pathExists(presets[name], path)).toBe(true);
      expect(presets[name].chosenDefaults[path]!.length).toBeGreaterThan(10);
    },
  );

  it('checks chosenDefaults paths for real: a misspelt or half path does not exist', () => {
    expect(pathExists(presets.tibro, 'windows.answr')).toBe(false);
    expect(pathExists(presets.tibro, 'windows.answer.hours.x')).toBe(false);
    expect(pathExists(presets.uppsala, 'thinning.afterMonths')).toBe(true); // null, but present
  });

  it('gives Tibro 48 weekday hours to answer (TI-6) and 48 clock hours to remove (TI-14)', () => {
    expect(presets.tibro.windows.answer).toEqual({ hours: 48, on: 'weekdays' });
    expect(presets.tibro.windows.remove).toEqual({ hours: 48, on: 'clock' });
    expect(Object.keys(presets.tibro.chosenDefaults)).not.toEqual(expect.arrayContaining(['windows.answer']));
  });

  it('asks Tibro for two administrators (TI-4) and a substitute in the channel decision (TI-1)', () => {
    expect(presets.tibro.accounts).toMatchObject({ minAdmins: 2, minAdminsRule: 'TI-4', approvalRule: 'TI-1', requireSubstitute: true });
  });

  it('makes registration mandatory for every item under Uppsala (UP-8)', () => {
    expect(presets.uppsala.registration.allItems).toBe('UP-8');
    expect(presets.uppsala.thinning.afterMonths).toBeNull();
  });

  it('cites the guideline each removal step comes from (AV-7, TI-14, UP-4)', () => {
    expect(presets.avesta.removal).toEqual({ evidenceRule: 'AV-7', registerFirst: null, notifyAuthorFirst: null, sendToRegistrarFirst: null });
    expect(presets.tibro.removal).toEqual({ evidenceRule: 'TI-14', registerFirst: 'TI-14', notifyAuthorFirst: null, sendToRegistrarFirst: null });
    expect(presets.uppsala.removal).toEqual({ evidenceRule: 'UP-4', registerFirst: null, notifyAuthorFirst: 'UP-4', sendToRegistrarFirst: 'UP-4' });
  });

  it('makes secret content registered and removed under Avesta (AV-8) and political items unanswered under Tibro (TI-9)', () => {
    expect(presets.avesta.registration.byCategory).toEqual([{ category: 'secret', rule: 'AV-8' }]);
    expect(presets.avesta.assessment.secretMustBeRemoved).toBe('AV-8');
    expect(presets.tibro.assessment.politicalNotAnswered).toBe('TI-9');
    expect(presets.avesta.assessment.politicalNotAnswered).toBeNull();
  });

  it('assesses by the end of the next weekday under every preset (AV-6, TI-2)', () => {
    for (const name of presetNames) expect(presets[name].windows.assess).toEqual({ endOfWeekday: 1 });
  });

  it('marks the windows Avesta gives only as "promptly" as chosen', () => {
    expect(Object.keys(presets.avesta.chosenDefaults)).toEqual(expect.arrayContaining(['windows.answer', 'windows.remove']));
  });

  it.each(presetNames)('%s offers the standard categories plus its prohibited ones', (name) => {
    const categories = categoriesOf(presets[name]);
    expect(categories).toEqual(expect.arrayContaining([...standardCategories, ...presets[name].categories.prohibited]));
    expect(new Set(categories).size).toBe(categories.length);
  });
});

describe('platform capabilities', () => {
  it('knows X cannot remove a comment nor message its author (UP-4)', () => {
    expect(platformCapabilities.x).toMatchObject({ canRemove: false, canMessage: false });
  });

  it.each(['facebook', 'instagram', 'youtube', 'linkedin', 'tiktok'] as const)('knows %s can remove a comment and message its author', (platform) => {
    expect(platformCapabilities[platform]).toMatchObject({ canRemove: true, canMessage: true });
  });

  it('covers every platform of the schema', () => {
    expect(Object.keys(platformCapabilities).sort()).toEqual([...platforms].sort());
  });

  it.each(presetNames)('%s uses these capabilities, and an item copies them at receipt', (name) => {
    expect(presets[name].platforms).toEqual(platformCapabilities);
    expect(itemRulesOf(presets[name], 'x')).toMatchObject({ canRemove: false, canMessage: false });
    expect(itemRulesOf(presets[name], 'facebook')).toMatchObject({ canRemove: true, canMessage: true });
  });
});

describe('custom policies (resolvePolicy)', () => {
  it('merges a good override into the preset, keeping the values it does not name', () => {
    const result = resolvePolicy('tibro', { accounts: { minAdmins: 3 }, windows: { answer: { hours: 24, on: 'weekdays' } } });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.accounts).toEqual({ ...presets.tibro.accounts, minAdmins: 3 });
    expect(result.data.windows).toEqual({ ...presets.tibro.windows, answer: { hours: 24, on: 'weekdays' } });
    expect(result.data.removal).toEqual(presets.tibro.removal);
  });

  it('replaces arrays and leaves the preset itself untouched', () => {
    const result = resolvePolicy('avesta', { categories: { prohibited: ['spam'] } });
    expect(result.success && result.data.categories).toEqual({ prohibited: ['spam'], rule: 'AV-9' });
    expect(presets.avesta.categories.prohibited).toContain('defamation');
    expect(presets.avesta.categories.prohibited).not.toContain('spam');
  });

  it('replaces a window whole, so an override may change its kind', () => {
    const replaced = resolvePolicy('avesta', { windows: { remove: { endOfWeekday: 0 } } });
    expect(replaced.success && replaced.data.windows.remove).toEqual({ endOfWeekday: 0 });
    const switched = resolvePolicy('avesta', { windows: { remove: { hours: 48, on: 'clock' } } });
    expect(switched.success && switched.data.windows.remove).toEqual({ hours: 48, on: 'clock' });
    expect(switched.success && switched.data.windows.answer).toEqual({ endOfWeekday: 1 });
  });

  it.each([
    ['minAdmins below its minimum', { accounts: { minAdmins: 0 } }, 'accounts.minAdmins'],
    ['an unknown top-level key', { colour: 'blue' }, ''],
    ['an unknown nested key', { accounts: { colour: 'blue' } }, 'accounts'],
    ['a rule id neither its own nor in RULES.md', { thinning: { rule: 'gallra' } }, 'thinning.rule'],
    ['a window counted in unknown units', { windows: { answer: { hours: 4, on: 'fortnights' } } }, 'windows.answer'],
    ['a country without a calendar', { country: 'DE' }, 'country'],
    ['a zone that is not the country\'s', { country: 'DK' }, 'timeZone'],
  ] as const)('refuses %s with a zod error naming the path', (_what, overrides, path) => {
    const result = resolvePolicy('tibro', overrides);
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(z.ZodError);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('names the unknown key in the error', () => {
    const result = resolvePolicy('uppsala', { colour: 'blue' });
    expect(result.error!.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['colour'] })]);
  });
});

describe('item@2 policy fields (outbound checks, UP-4 registrar step)', () => {
  it('states each preset\'s checks on own posts: AV-4 for avesta, LI-1 and LI-6 for lillesand, UP-7 for uppsala, TI-15 chosen for tibro', () => {
    expect(presets.avesta.outbound).toEqual({ personalDataRule: 'AV-4', siteLinkRule: null, consentRule: null, languageCover: null });
    expect(presets.lillesand.outbound).toEqual({ personalDataRule: null, siteLinkRule: 'LI-1', consentRule: 'LI-6', languageCover: null });
    expect(presets.uppsala.outbound).toEqual({
      personalDataRule: null, siteLinkRule: null, consentRule: null, languageCover: { rule: 'UP-7', languages: ['sv', 'en'], days: 7 },
    });
    expect(presets.tibro.outbound).toMatchObject({ personalDataRule: 'TI-15', consentRule: 'TI-15' });
    expect(Object.keys(presets.tibro.chosenDefaults)).toEqual(expect.arrayContaining(['outbound.personalDataRule', 'outbound.consentRule']));
  });

  it('asks for SEND_TO_REGISTRAR before removal under uppsala only (UP-4)', () => {
    expect(presetNames.map((name) => [name, presets[name].removal.sendToRegistrarFirst])).toEqual([
      ['avesta', null], ['lillesand', null], ['tibro', null], ['uppsala', 'UP-4'],
    ]);
  });

  it('validates a policy written before item@2, filling in no outbound checks and no registrar step', () => {
    const { outbound: _outbound, ...old } = presets.tibro;
    const { sendToRegistrarFirst: _send, ...oldRemoval } = presets.tibro.removal;
    const result = policySchema.safeParse({ ...old, removal: oldRemoval });
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.success && result.data.outbound).toEqual(noOutboundChecks);
    expect(result.success && result.data.removal.sendToRegistrarFirst).toBeNull();
  });

  it('merges an override of one outbound check and refuses a language that is not an ISO 639 code', () => {
    const merged = resolvePolicy('avesta', { outbound: { siteLinkRule: 'AV-3' } });
    expect(merged.success && merged.data.outbound).toEqual({ ...presets.avesta.outbound, siteLinkRule: 'AV-3' });
    const bad = resolvePolicy('uppsala', { outbound: { languageCover: { rule: 'UP-7', languages: ['Swedish'], days: 7 } } });
    expect(bad.error!.issues.map((issue) => issue.path.join('.'))).toContain('outbound.languageCover.languages.0');
  });
});
