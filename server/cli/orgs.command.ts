// `diarium orgs add SLUG (--preset NAME | --policy FILE.json) [--name TEXT]`: an organisation from a
// preset or from its own whole policy (which becomes its policy version 1).
import type { Store } from '../../db/client.ts';
import { createOrganisation, customPreset } from '../../db/organisations.ts';
import { print, UsageError } from './output.ts';
import { readPolicyFile } from './policy.command.ts';

export async function addOrganisation(
  store: Store, slug: string | undefined, values: { preset?: string; policy?: string; name?: string }, now: Date,
): Promise<number> {
  if (!slug || (values.preset === undefined) === (values.policy === undefined)) {
    throw new UsageError('usage: diarium orgs add SLUG (--preset NAME | --policy FILE.json) [--name TEXT]');
  }
  const source = values.policy !== undefined ? { policy: readPolicyFile(values.policy) } : { preset: values.preset };
  const result = await createOrganisation(store, { slug, name: values.name, ...source, actor: { keyId: null, role: 'operator' } }, now);
  if (!result.ok) throw new UsageError(result.detail);
  const { organisation } = result;
  print({ id: organisation.id, slug: organisation.slug, preset: organisation.preset === customPreset ? null : organisation.preset, policyVersion: organisation.policyVersion });
  return 0;
}
