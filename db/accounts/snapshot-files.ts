// Uploaded channel snapshots (AV-11, TI-12, UP-10, AV-13): the file kept by its sha256 and the
// SNAPSHOT step that records it, in one transaction. The same file twice is stored and recorded once.
import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { SnapshotFormat } from '../../machines/policy/policy.schema.ts';
import { findAccount, stepAccountInTx, type StepResult } from './accounts.ts';
import type { Db, Store } from '../client.ts';
import { newId } from '../ids.ts';
import type { Actor } from '../ledger/ledger.ts';
import { notFound } from '../write/outcome.ts';
import { snapshotFiles } from '../schema.ts';

export type SnapshotFileRow = typeof snapshotFiles.$inferSelect;

/**
 * The file's format from its bytes, not from what the client says: PNG and PDF by their magic
 * numbers; a PDF is PDF/A-1 when its XMP metadata declares part 1 (ISO 19005-1 §6.7.11).
 */
export function detectSnapshotFormat(bytes: Buffer): SnapshotFormat | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return null;
  const text = bytes.toString('latin1');
  return /pdfaid:part(?:>\s*1\s*<|\s*=\s*["']1["'])/.test(text) ? 'pdf/a-1' : 'pdf';
}

export function snapshotView(row: Omit<SnapshotFileRow, 'id' | 'orgId' | 'accountId' | 'bytes'>) {
  return { sha256: row.sha256, format: row.format as SnapshotFormat, mediaType: row.mediaType, size: row.size, uploadedAt: row.uploadedAt };
}

export async function uploadSnapshot(
  store: Store,
  cmd: {
    orgId: string; accountId: string; actor: Actor; bytes: Buffer; mediaType: string; format: SnapshotFormat;
    takenAt: Date; final: boolean; ifMatch: number | null; now: Date;
  },
): Promise<(StepResult & { ok: true; file: SnapshotFileRow; created: boolean }) | Exclude<StepResult, { ok: true }>> {
  const sha256 = createHash('sha256').update(cmd.bytes).digest('hex');
  return store.writes.run(async (tx, batch) => {
    const account = await findAccount(tx, cmd.orgId, cmd.accountId);
    if (!account) return notFound('Account');
    const [existing] = await tx
      .select()
      .from(snapshotFiles)
      .where(and(eq(snapshotFiles.accountId, account.id), eq(snapshotFiles.sha256, sha256)));
    // A retried upload: the file and its SNAPSHOT are already recorded.
    if (existing) return { ok: true, account, file: existing, created: false } as const;
    const stepped = await stepAccountInTx(tx, batch, {
      orgId: cmd.orgId, accountId: account.id, actor: cmd.actor, now: cmd.now, ifMatch: cmd.ifMatch,
      event: { type: 'SNAPSHOT', sha256, format: cmd.format, takenAt: cmd.takenAt.toISOString(), final: cmd.final },
      annotations: { size: cmd.bytes.length, uploaded: true },
    });
    if (!stepped.ok) return stepped;
    const file: SnapshotFileRow = {
      id: newId(cmd.now), orgId: cmd.orgId, accountId: account.id, sha256, format: cmd.format, mediaType: cmd.mediaType,
      size: cmd.bytes.length, bytes: cmd.bytes, uploadedAt: cmd.now.toISOString(),
    };
    await tx.insert(snapshotFiles).values(file);
    return { ok: true, account: stepped.account, file, created: true } as const;
  });
}

export async function listSnapshotFiles(db: Db, orgId: string, accountId: string) {
  return db
    .select({
      sha256: snapshotFiles.sha256, format: snapshotFiles.format, mediaType: snapshotFiles.mediaType, size: snapshotFiles.size,
      uploadedAt: snapshotFiles.uploadedAt,
    })
    .from(snapshotFiles)
    .where(and(eq(snapshotFiles.orgId, orgId), eq(snapshotFiles.accountId, accountId)))
    .orderBy(desc(snapshotFiles.uploadedAt));
}

export async function findSnapshotFile(db: Db, orgId: string, accountId: string, sha256: string): Promise<SnapshotFileRow | null> {
  const [row] = await db
    .select()
    .from(snapshotFiles)
    .where(and(eq(snapshotFiles.orgId, orgId), eq(snapshotFiles.accountId, accountId), eq(snapshotFiles.sha256, sha256)));
  return row ?? null;
}
