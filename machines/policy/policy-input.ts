// What an organisation may give as its policy: a whole policy, or a preset with overrides. One
// answer for both: the valid policy, or every issue with its path. Pure.
import { policySchema, type Policy } from './policy.schema.ts';
import { isPresetName, presetNames, resolvePolicy } from './presets.ts';

export interface PolicyIssue {
  path: string;
  message: string;
}

export type PolicyInputResult =
  | { ok: true; policy: Policy; source: string }
  | { ok: false; errors: PolicyIssue[] };

type Issues = { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> };

const issuesOf = (error: Issues, prefix: string[] = []): PolicyIssue[] =>
  error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)].join('.'), message: issue.message }));

/** `{"preset","overrides"?}` names a preset (source: its name); anything else must be a whole policy (source: 'policy'). */
export function resolvePolicyInput(input: unknown): PolicyInputResult {
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'preset' in input) {
    const { preset, overrides, ...rest } = input as { preset: unknown; overrides?: unknown };
    const errors: PolicyIssue[] = Object.keys(rest).map((key) => ({ path: key, message: 'not a field of {preset, overrides}' }));
    if (typeof preset !== 'string' || !isPresetName(preset)) errors.push({ path: 'preset', message: `one of ${presetNames.join(', ')}` });
    const isObject = typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides);
    if (overrides !== undefined && !isObject) errors.push({ path: 'overrides', message: 'an object of the policy fields to change' });
    if (errors.length > 0) return { ok: false, errors };
    const resolved = resolvePolicy(preset as Parameters<typeof resolvePolicy>[0], (overrides ?? {}) as Record<string, unknown>);
    return resolved.success ? { ok: true, policy: resolved.data, source: preset as string } : { ok: false, errors: issuesOf(resolved.error, ['overrides']) };
  }
  const parsed = policySchema.safeParse(input);
  return parsed.success ? { ok: true, policy: parsed.data, source: 'policy' } : { ok: false, errors: issuesOf(parsed.error) };
}
