// Browser sessions (the officers' and auditors' pages): an API key exchanged for a random cookie
// token. The session acts as its key: revoking the key ends every session at once, because each
// lookup joins the key and requires it unrevoked.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { isRole, type KeyHolder } from './api-keys.ts';
import type { Db, Store } from '../client.ts';
import { randomToken, sha256 } from '../ledger/hashing.ts';
import { apiKeys, organisations, sessions } from '../schema.ts';

/** Eight hours: a working day. */
export const sessionMs = 8 * 60 * 60 * 1000;

export async function createSession(store: Store, holder: KeyHolder, now: Date): Promise<{ token: string; csrf: string }> {
  const token = randomToken(32);
  const csrf = randomToken(24);
  await store.writes.run((tx) =>
    tx.insert(sessions).values({
      tokenHash: sha256(token), keyId: holder.keyId, csrf, createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + sessionMs).toISOString(),
    }),
  );
  return { token, csrf };
}

export async function findSession(db: Db, token: string, now: Date): Promise<{ holder: KeyHolder; csrf: string } | null> {
  const [row] = await db
    .select({ keyId: apiKeys.id, role: apiKeys.role, orgId: apiKeys.orgId, orgSlug: organisations.slug, csrf: sessions.csrf })
    .from(sessions)
    .innerJoin(apiKeys, eq(apiKeys.id, sessions.keyId))
    .innerJoin(organisations, eq(organisations.id, apiKeys.orgId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now.toISOString()), isNull(apiKeys.revokedAt)));
  if (!row || !isRole(row.role)) return null;
  const { csrf, ...holder } = row;
  return { holder: { ...holder, role: row.role }, csrf };
}

export async function endSession(store: Store, token: string): Promise<void> {
  await store.writes.run((tx) => tx.delete(sessions).where(eq(sessions.tokenHash, sha256(token))));
}
