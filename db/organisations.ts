// Organisations (tenants) and their policies.
import { eq } from 'drizzle-orm';
import { isPresetName, presets, resolvePolicy, type PresetName } from '../machines/policy/presets.ts';
import type { Policy } from '../machines/policy/policy.schema.ts';
import type { Db, Store, Tx } from './client.ts';
import { genesisHash } from './ledger/hashing.ts';
import { newId } from './ids.ts';
import { organisations } from './schema.ts';

export type Organisation = typeof organisations.$inferSelect;

export type CreateOrganisationResult =
  | { ok: true; organisation: Organisation }
  | { ok: false; code: 'invalid'; detail: string }
  | { ok: false; code: 'conflict'; detail: string };

export const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export async function createOrganisation(
  store: Store,
  input: { slug: string; preset: string; name?: string | undefined; overrides?: Record<string, unknown> },
  now: Date,
): Promise<CreateOrganisationResult> {
  if (!slugPattern.test(input.slug)) {
    return { ok: false, code: 'invalid', detail: 'A slug is 2–63 characters of a–z, 0–9 and "-".' };
  }
  if (!isPresetName(input.preset)) {
    return { ok: false, code: 'invalid', detail: `Unknown preset "${input.preset}"; one of ${Object.keys(presets).join(', ')}.` };
  }
  const overrides = input.overrides ?? {};
  const policy = resolvePolicy(input.preset, overrides);
  if (!policy.success) return { ok: false, code: 'invalid', detail: `Invalid policy: ${policy.error.message}` };
  const row: Organisation = {
    id: newId(now),
    slug: input.slug,
    name: input.name ?? policy.data.name,
    preset: input.preset,
    policyOverrides: overrides,
    ledgerSeq: 0,
    ledgerHead: genesisHash,
    ledgerFrontier: '[]',
    createdAt: now.toISOString(),
  };
  return store.writes.run(async (tx) => {
    const [existing] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, input.slug));
    if (existing) return { ok: false, code: 'conflict', detail: `Organisation "${input.slug}" exists.` } as const;
    await tx.insert(organisations).values(row);
    return { ok: true, organisation: row } as const;
  });
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

/** The organisation's policy: its preset with its overrides (validated when they were stored). */
export function policyOf(org: Organisation): Policy {
  const cacheKey = `${org.preset}:${JSON.stringify(org.policyOverrides)}`;
  const cached = policyCache.get(cacheKey);
  if (cached) return cached;
  const resolved = resolvePolicy(org.preset as PresetName, org.policyOverrides);
  if (!resolved.success) throw new Error(`stored policy of ${org.slug} no longer validates: ${resolved.error.message}`);
  policyCache.set(cacheKey, resolved.data);
  return resolved.data;
}
