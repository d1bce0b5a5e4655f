// Organisations (tenants) and the policy each runs under: created from a preset or a whole policy,
// which becomes the organisation's policy version 1 (db/policy/policy-versions.ts keeps the rest).
import { eq } from 'drizzle-orm';
import { resolvePolicyInput, type PolicyIssue } from '../machines/policy/policy-input.ts';
import { policySchema, type Policy } from '../machines/policy/policy.schema.ts';
import { isPresetName, resolvePolicy, type PresetName } from '../machines/policy/presets.ts';
import type { Db, Store, Tx } from './client.ts';
import { canonicalJson, genesisHash, sha256 } from './ledger/hashing.ts';
import type { Actor } from './ledger/ledger.ts';
import { newId } from './ids.ts';
import { organisations, policyVersions } from './schema.ts';

export type Organisation = typeof organisations.$inferSelect;

export type CreateOrganisationResult =
  | { ok: true; organisation: Organisation }
  | { ok: false; code: 'invalid'; detail: string; errors?: PolicyIssue[] }
  | { ok: false; code: 'conflict'; detail: string };

export const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** The preset column of an organisation whose policy was given whole. */
export const customPreset = 'custom';

export async function createOrganisation(
  store: Store,
  input: { slug: string; preset?: string; policy?: unknown; name?: string | undefined; overrides?: Record<string, unknown>; actor?: Actor },
  now: Date,
): Promise<CreateOrganisationResult> {
  if (!slugPattern.test(input.slug)) {
    return { ok: false, code: 'invalid', detail: 'A slug is 2–63 characters of a–z, 0–9 and "-".' };
  }
  if ((input.preset === undefined) === (input.policy === undefined)) {
    return { ok: false, code: 'invalid', detail: 'Give either a preset or a whole policy.' };
  }
  const overrides = input.overrides ?? {};
  const resolved = resolvePolicyInput(input.preset !== undefined ? { preset: input.preset, overrides } : input.policy);
  if (!resolved.ok) {
    return { ok: false, code: 'invalid', detail: `Invalid policy: ${resolved.errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`, errors: resolved.errors };
  }
  const at = now.toISOString();
  const row: Organisation = {
    id: newId(now),
    slug: input.slug,
    name: input.name ?? resolved.policy.name,
    preset: input.preset ?? customPreset,
    policyOverrides: input.preset !== undefined ? overrides : {},
    policyVersion: 1,
    policy: resolved.policy,
    ledgerSeq: 0,
    ledgerHead: genesisHash,
    ledgerFrontier: '[]',
    createdAt: at,
  };
  const actor = input.actor ?? { keyId: null, role: 'system' };
  return store.writes.run(async (tx) => {
    const [existing] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, input.slug));
    if (existing) return { ok: false, code: 'conflict', detail: `Organisation "${input.slug}" exists.` } as const;
    await tx.insert(organisations).values(row);
    await tx.insert(policyVersions).values({
      orgId: row.id, version: 1, effectiveFrom: at, policy: resolved.policy, hash: policyHash(resolved.policy),
      changedByKeyId: actor.keyId, changedByRole: actor.role, source: resolved.source,
    });
    return { ok: true, organisation: row } as const;
  });
}

/** The hash a policy version is known by: sha256 of its canonical JSON. */
export function policyHash(policy: Policy): string {
  return sha256(canonicalJson(policy));
}

export async function findOrganisationBySlug(db: Db, slug: string): Promise<Organisation | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.slug, slug));
  return row ?? null;
}

export async function findOrganisation(db: Db | Tx, id: string): Promise<Organisation | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

export async function countOrganisations(db: Db): Promise<number> {
  return (await db.select({ id: organisations.id }).from(organisations)).length;
}

const policyCache = new Map<string, Policy>();

/**
 * The organisation's policy in force: the version its row holds, or, for an organisation made
 * before policy versions, its preset with its overrides (validated when they were stored).
 */
export function policyOf(org: Organisation): Policy {
  const cacheKey = org.policy ? `${org.id}:${org.policyVersion}` : `${org.preset}:${JSON.stringify(org.policyOverrides)}`;
  const cached = policyCache.get(cacheKey);
  if (cached) return cached;
  const resolved = org.policy ? policySchema.safeParse(org.policy) : resolvePolicy(org.preset as PresetName, org.policyOverrides);
  if (!resolved.success || (!org.policy && !isPresetName(org.preset))) {
    throw new Error(`stored policy of ${org.slug} no longer validates: ${resolved.error?.message ?? `unknown preset ${org.preset}`}`);
  }
  if (policyCache.size >= 1_000) policyCache.clear();
  policyCache.set(cacheKey, resolved.data);
  return resolved.data;
}
