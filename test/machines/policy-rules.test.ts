// A policy's own rulebook: rule ids of 1–12 letters, digits and dashes, unique; every id the policy
// cites is one of its own rules or one of RULES.md's; each country's zone. The Danish example of
// docs/policy.md validates as it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { citedRules, policySchema } from '../../machines/policy/policy.schema.ts';
import { presets, resolvePolicy } from '../../machines/policy/presets.ts';

const danish = JSON.parse(readFileSync(new URL('../../docs/examples/policy-dk.json', import.meta.url), 'utf8'));
const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('the organisation\'s own rules', () => {
  it('accepts the Danish example, which cites only its own EK- rules', () => {
    const result = policySchema.safeParse(danish);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(citedRules(result.data!).every(({ id }) => id.startsWith('EK-'))).toBe(true);
  });

  it('refuses a cited id that is neither its own nor in RULES.md, at the path that cites it', () => {
    const result = policySchema.safeParse({ ...danish, thinning: { ...danish.thinning, rule: 'EK-99' } });
    expect(result.success).toBe(false);
    expect(paths(result)).toEqual(['thinning.rule']);
  });

  it('lets a policy cite RULES.md ids beside its own', () => {
    const result = policySchema.safeParse({ ...danish, accounts: { ...danish.accounts, minAdminsRule: 'TI-4' } });
    expect(result.success).toBe(true);
  });

  it.each([
    ['a duplicate id', { rules: [...danish.rules, { ...danish.rules[0], text: 'again' }] }, 'rules.8.id'],
    ['an id of 13 characters', { rules: [...danish.rules, { id: 'ABCDEFGHIJKLM', text: 't', source: 's' }] }, 'rules.8.id'],
    ['an id with a space', { rules: [...danish.rules, { id: 'EK 9', text: 't', source: 's' }] }, 'rules.8.id'],
    ['a rule without text', { rules: [...danish.rules, { id: 'EK-9', text: ' ', source: 's' }] }, 'rules.8.text'],
    ['a rule without source', { rules: [...danish.rules, { id: 'EK-9', text: 't' }] }, 'rules.8.source'],
    ['a zone that is not the country\'s', { timeZone: 'Europe/Stockholm' }, 'timeZone'],
    ['an unknown country', { country: 'DE' }, 'country'],
  ])('refuses %s', (_label, change, path) => {
    const result = policySchema.safeParse({ ...danish, ...change });
    expect(result.success).toBe(false);
    expect(paths(result)).toContain(path);
  });

  it('accepts ids with Nordic letters and digits only, e.g. "Å-12" and "7"', () => {
    const rules = [{ id: 'Å-12', text: 'En regel.', source: 'Riktlinjer' }, { id: '7', text: 'En annan.', source: 'Riktlinjer' }];
    const result = policySchema.safeParse({ ...danish, rules, thinning: { ...danish.thinning, rule: 'Å-12' }, categories: { ...danish.categories, rule: '7' } });
    expect(paths(result).filter((p) => !p.startsWith('thinning') && !p.startsWith('categories'))).not.toContain('rules.0.id');
    expect(paths(result).some((p) => p === 'thinning.rule' || p === 'categories.rule')).toBe(false);
  });

  it('names every rule id a preset cites, and each is a RULES.md id', () => {
    for (const preset of Object.values(presets)) {
      const cited = citedRules(preset);
      expect(cited.length).toBeGreaterThan(8);
      expect(cited.every(({ id }) => /^(AV|LI|TI|UP)-\d+$/.test(id))).toBe(true);
    }
  });

  it('keeps a preset valid when overrides add own rules and cite them', () => {
    const result = resolvePolicy('tibro', { rules: [{ id: 'TK-1', text: 'Svar inom en dag.', source: 'Beslut 2026-01-10' }], registration: { decisionRule: 'TK-1' } });
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data?.registration.decisionRule).toBe('TK-1');
    expect(resolvePolicy('tibro', { registration: { decisionRule: 'TK-1' } }).success).toBe(false);
  });
});

describe('docs/policy.md', () => {
  it('shows the Danish example exactly as docs/examples/policy-dk.json holds it', () => {
    const doc = readFileSync(new URL('../../docs/policy.md', import.meta.url), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(JSON.parse(block ?? 'null')).toEqual(danish);
  });
});
