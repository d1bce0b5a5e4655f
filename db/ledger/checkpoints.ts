// Signed checkpoints (signed tree heads): {org, size, rootHash, at} of an organisation's ledger
// Merkle tree, signed with the ledger key. Kept outside the database (by auditors, in exports),
// a checkpoint lets anyone prove later that today's ledger extends the one it named.
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Store } from '../client.ts';
import { canonicalJson } from './hashing.ts';
import { frontierRoot } from './merkle.ts';
import { frontierFits, parseFrontier } from './merkle-store.ts';
import { keyIdOf, signatureValid, type LedgerSigner } from './signing-key.ts';
import { ledgerCheckpoints, organisations } from '../schema.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');

/** A checkpoint as published and kept: the signed fields, the algorithm, the public key and the signature. */
export const checkpointSchema = z.object({
  org: z.string().min(1).max(63),
  size: z.number().int().min(1),
  rootHash: hex64,
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'an ISO 8601 instant in UTC'),
  algorithm: z.literal('Ed25519'),
  keyId: hex64,
  publicKey: z.string().min(1).max(200),
  signature: z.string().min(1).max(200),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** How often checkpoints are made: after this many events or minutes, whichever comes first. */
export interface CheckpointSettings {
  signer: LedgerSigner | null;
  everyEvents: number;
  everyMinutes: number;
}

export const defaultCheckpointEvery = { events: 1000, minutes: 60 };

/** The text that is signed: canonical JSON of exactly {org, size, rootHash, at}. */
export function checkpointMessage(c: Pick<Checkpoint, 'org' | 'size' | 'rootHash' | 'at'>): string {
  return canonicalJson({ org: c.org, size: c.size, rootHash: c.rootHash, at: c.at });
}

/** Whether the checkpoint's signature is valid for its own public key, and the key id names that key. */
export function checkpointSignatureValid(c: Checkpoint): boolean {
  return keyIdOf(c.publicKey) === c.keyId && signatureValid(c.publicKey, checkpointMessage(c), c.signature);
}

export const noKeyDetail = 'No ledger signing key: set LEDGER_SIGNING_KEY to a key file made by "diarium ledger init-key".';

export type CheckpointResult =
  | { ok: true; checkpoint: Checkpoint; created: boolean }
  | { ok: false; code: 'no_key' | 'empty' | 'not_found'; detail: string };

/**
 * Signs the organisation's tree as it stands, unless the latest checkpoint already names that size
 * (then returns it). `when`: 'always' (on demand) or 'due' (the interval settings decide).
 */
export async function makeCheckpoint(
  store: Store, settings: CheckpointSettings, orgId: string, now: Date, when: 'always' | 'due' = 'always',
): Promise<CheckpointResult> {
  const { signer } = settings;
  if (!signer) return { ok: false, code: 'no_key', detail: noKeyDetail };
  return store.writes.run(async (tx) => {
    const [org] = await tx
      .select({ slug: organisations.slug, seq: organisations.ledgerSeq, frontier: organisations.ledgerFrontier })
      .from(organisations)
      .where(eq(organisations.id, orgId));
    if (!org) return { ok: false, code: 'not_found', detail: 'No such organisation.' } as const;
    const latest = await latestCheckpoint(tx, orgId);
    if (org.seq === 0) return { ok: false, code: 'empty', detail: 'The ledger holds no events yet: there is nothing to sign.' } as const;
    if (latest && latest.size === org.seq) return { ok: true, checkpoint: latest, created: false } as const;
    if (latest && when === 'due' && !due(latest, org.seq, now, settings)) return { ok: true, checkpoint: latest, created: false } as const;
    const frontier = parseFrontier(org.frontier);
    if (!frontierFits(frontier, org.seq)) throw new Error(`the ledger tree of ${org.slug} is not built`);
    const signed = { org: org.slug, size: org.seq, rootHash: frontierRoot(frontier), at: now.toISOString() };
    const checkpoint: Checkpoint = { ...signed, algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKey, signature: signer.sign(checkpointMessage(signed)) };
    await tx.insert(ledgerCheckpoints).values({
      orgId, size: checkpoint.size, rootHash: checkpoint.rootHash, at: checkpoint.at, keyId: checkpoint.keyId,
      publicKey: checkpoint.publicKey, signature: checkpoint.signature,
    });
    return { ok: true, checkpoint, created: true } as const;
  });
}

function due(latest: Checkpoint, size: number, now: Date, settings: CheckpointSettings): boolean {
  if (size - latest.size >= settings.everyEvents) return true;
  return size > latest.size && now.getTime() - Date.parse(latest.at) >= settings.everyMinutes * 60_000;
}

/** The organisation's checkpoints, newest (largest) first. */
export async function listCheckpoints(db: Db, orgId: string, limit = 100): Promise<Checkpoint[]> {
  const rows = await db
    .select({ c: ledgerCheckpoints, slug: organisations.slug })
    .from(ledgerCheckpoints)
    .innerJoin(organisations, eq(organisations.id, ledgerCheckpoints.orgId))
    .where(eq(ledgerCheckpoints.orgId, orgId))
    .orderBy(desc(ledgerCheckpoints.size))
    .limit(limit);
  return rows.map(({ c, slug }) => ({
    org: slug, size: c.size, rootHash: c.rootHash, at: c.at, algorithm: 'Ed25519', keyId: c.keyId, publicKey: c.publicKey, signature: c.signature,
  }));
}

export async function latestCheckpoint(db: Db, orgId: string): Promise<Checkpoint | null> {
  return (await listCheckpoints(db, orgId, 1))[0] ?? null;
}
