// API keys: one per organisation and role, stored as sha256 of the secret (the secret has 192
// random bits, so a slow hash adds nothing). Lookup is by hash, so no secret is ever compared.
import { and, eq, isNull } from 'drizzle-orm';
import { roles, type Role } from '../../machines/item.events.ts';
import type { Db, Store } from '../client.ts';
import { randomToken, sha256 } from '../ledger/hashing.ts';
import { newId } from '../ids.ts';
import { apiKeys } from '../schema.ts';

export interface KeyHolder {
  keyId: string;
  role: Role;
  orgId: string;
  orgSlug: string;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export async function createApiKey(store: Store, orgId: string, role: Role, now: Date) {
  const key = `dia_${randomToken(24)}`;
  const id = newId(now);
  await store.writes.run((tx) =>
    tx.insert(apiKeys).values({ id, orgId, role, keyHash: sha256(key), createdAt: now.toISOString() }),
  );
  return { id, key, role };
}

export async function findKeyHolder(db: Db, key: string): Promise<KeyHolder | null> {
  return findKeyHolderByHash(db, sha256(key));
}

/**
 * The holder of an unrevoked key, by the key's sha256. Every request asks, so the statement is
 * fixed SQL through the driver: Drizzle's building of the join cost more than SQLite's lookup.
 */
export async function findKeyHolderByHash(db: Db, keyHash: string): Promise<KeyHolder | null> {
  const { rows: [row] } = await db.$client.execute({
    sql: 'select k.id, k.role, k.org_id, o.slug from api_keys k join organisations o on o.id = k.org_id where k.key_hash = ? and k.revoked_at is null',
    args: [keyHash],
  });
  if (!row) return null;
  const role = String(row[1]);
  return isRole(role) ? { keyId: String(row[0]), role, orgId: String(row[2]), orgSlug: String(row[3]) } : null;
}

/** Revokes a key at once: the next request with it is refused, and its page sessions end. */
export async function revokeApiKey(store: Store, keyId: string, now: Date): Promise<boolean> {
  const revoked = await store.writes.run((tx) =>
    tx.update(apiKeys).set({ revokedAt: now.toISOString() }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
  );
  return revoked.rowsAffected === 1;
}
