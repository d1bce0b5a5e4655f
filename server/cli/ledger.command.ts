// `diarium ledger init-key`, `diarium ledger checkpoint --org SLUG` and `diarium verify --checkpoint FILE`.
import { readFileSync } from 'node:fs';
import type { Store } from '../../db/client.ts';
import { checkpointSchema, makeCheckpoint, type CheckpointSettings } from '../../db/ledger/checkpoints.ts';
import { createSigningKeyFile } from '../../db/ledger/signing-key.ts';
import { verifyAgainstCheckpoint } from '../../db/ledger/verify-checkpoint.ts';
import { findOrganisationBySlug } from '../../db/organisations.ts';
import { print, UsageError } from './output.ts';

/** Writes a new key to the file LEDGER_SIGNING_KEY names (or --out); never overwrites one. */
export function initKey(path: string | undefined): number {
  if (!path) throw new UsageError('usage: LEDGER_SIGNING_KEY=FILE diarium ledger init-key (or --out FILE)');
  try {
    const signer = createSigningKeyFile(path);
    print({ path, algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKey });
    return 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${path} exists; a signing key is never overwritten`);
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** Prints the latest checkpoint, signing a new one when it is due or there is none. */
export async function printCheckpoint(store: Store, settings: CheckpointSettings, slug: string | undefined, now: Date): Promise<number> {
  if (!slug) throw new UsageError('usage: diarium ledger checkpoint --org SLUG');
  const org = await findOrganisationBySlug(store.db, slug);
  if (!org) throw new UsageError(`no organisation "${slug}"`);
  const result = await makeCheckpoint(store, settings, org.id, now, 'due');
  if (!result.ok) throw new UsageError(result.detail);
  print(result.checkpoint);
  return 0;
}

/** Checks the ledger against a checkpoint kept in FILE; exit 1 when it does not hold. */
export async function verifyCheckpointFile(store: Store, settings: CheckpointSettings, file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON: a checkpoint as "diarium ledger checkpoint" prints it`);
  }
  const parsed = checkpointSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${file} is not a checkpoint: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const org = await findOrganisationBySlug(store.db, parsed.data.org);
  if (!org) {
    print({ ok: false, org: parsed.data.org, reason: `no organisation "${parsed.data.org}" in this database` });
    return 1;
  }
  const report = await verifyAgainstCheckpoint(store, org, parsed.data, settings.signer?.keyId ?? null);
  print(report);
  return report.ok ? 0 : 1;
}
