// `diarium policy show --org SLUG` and `diarium policy set --org SLUG --file F [--dry-run]`: the
// organisation's policy as GET /v1/policy answers it, and a change as PUT /v1/policy makes it (the
// operator changes the version in force, so no If-Match is asked for).
import { readFileSync } from 'node:fs';
import type { Store } from '../../db/client.ts';
import { findOrganisationBySlug } from '../../db/organisations.ts';
import { policyImpact } from '../../db/policy/policy-impact.ts';
import { changePolicy, currentPolicy } from '../../db/policy/policy-versions.ts';
import { resolvePolicyInput } from '../../machines/policy/policy-input.ts';
import { print, UsageError } from './output.ts';

/** A JSON file's value; a file that cannot be read or parsed is the caller's mistake. */
export function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON`);
  }
}

export async function policyCommand(
  store: Store, sub: string, values: { org?: string; file?: string; 'dry-run'?: boolean }, now: Date,
): Promise<number> {
  const usageText = 'usage: diarium policy show --org SLUG | diarium policy set --org SLUG --file FILE.json [--dry-run]';
  if (!values.org || (sub === 'set' && !values.file)) throw new UsageError(usageText);
  const org = await findOrganisationBySlug(store.db, values.org);
  if (!org) throw new UsageError(`no organisation "${values.org}"`);
  const current = await currentPolicy(store.db, org);
  if (sub === 'show') {
    print(current);
    return 0;
  }
  const input = resolvePolicyInput(readPolicyFile(values.file!));
  if (!input.ok) throw new UsageError(`the policy is not valid; nothing changed: ${input.errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`);
  const impact = await policyImpact(store.db, org.id, current.policy, input.policy, now);
  if (values['dry-run']) {
    print({ version: current.version + 1, effectiveFrom: now.toISOString(), policy: input.policy, dryRun: true, impact });
    return 0;
  }
  const result = await changePolicy(store, {
    orgId: org.id, policy: input.policy, source: input.source, ifMatch: current.version, actor: { keyId: null, role: 'operator' }, now,
  });
  if (!result.ok) throw new UsageError(result.detail);
  print({ ...result.current, dryRun: false, impact });
  return 0;
}
