// The public channel register (TI-3, UP-6, AV-2): the organisation's active accounts with what the
// public may know of them. An account under review is off the list (UP-6); no e-mail addresses.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { accounts } from '../schema.ts';

export interface Channel {
  id: string;
  platform: string;
  handle: string;
  url: string | null;
  purpose: string | null;
  audience: string | null;
  ownerUnit: string | null;
  responsible: { name: string } | null;
}

export async function listChannels(db: Db, orgId: string): Promise<Channel[]> {
  const rows = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.orgId, orgId), eq(accounts.status, 'active')))
    .orderBy(asc(accounts.platform), asc(accounts.handle));
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform,
    handle: row.handle,
    url: row.url,
    purpose: row.purpose,
    audience: row.audience,
    ownerUnit: row.ownerUnit,
    // Only the name: the responsible person's e-mail address is not published.
    responsible: row.responsible ? { name: row.responsible.name } : null,
  }));
}
