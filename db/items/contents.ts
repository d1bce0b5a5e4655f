// Personal content: item text and author, evidence captures, free text of events. Stored apart
// from the ledger and referred to by a salted hash, so thinning erases the bytes and the chain
// (which covers only the hash) still verifies.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../client.ts';
import type { WriteBatch } from '../write/write-batch.ts';
import { canonicalJson, randomToken, sha256 } from '../ledger/hashing.ts';
import { contents, idempotencyKeys } from '../schema.ts';

export type ContentRole = 'content' | 'evidence' | 'event';

export function storeContent(
  batch: WriteBatch,
  row: { orgId: string; itemId: string; role: ContentRole; body: Record<string, unknown>; at: string },
): string {
  const salt = randomToken();
  const hash = sha256(salt + canonicalJson(row.body));
  batch.addContent({
    hash, orgId: row.orgId, itemId: row.itemId, role: row.role, body: row.body, salt, createdAt: row.at, erasedAt: null, erasedReason: null,
  });
  return hash;
}

/**
 * THIN: erase every piece of the item's personal content, keeping the hashes and the reason —
 * including the copies inside responses remembered for Idempotency-Key retries.
 */
export async function eraseItemContents(batch: WriteBatch, itemId: string, reason: string, at: string): Promise<number> {
  // Rare and set-wise: written with SQL of its own, after what the batch holds.
  await batch.flush();
  const { tx } = batch;
  const erased = await tx
    .update(contents)
    .set({ body: null, salt: null, erasedAt: at, erasedReason: reason })
    .where(and(eq(contents.itemId, itemId), isNull(contents.erasedAt)));
  await tx
    .update(idempotencyKeys)
    .set({ body: sql`json_set(${idempotencyKeys.body}, '$.item.content', json('null'))` })
    .where(and(eq(idempotencyKeys.itemId, itemId), eq(idempotencyKeys.applied, true)));
  batch.forget();
  return erased.rowsAffected;
}

export async function readContent(db: Db | Tx, hash: string) {
  const [row] = await db.select().from(contents).where(eq(contents.hash, hash));
  return row ?? null;
}
