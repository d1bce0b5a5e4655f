// What the account schedules ask of an account's items: its last outbound item (TI-5, UP-6), its
// recent criticism (TI-8), and whether anything is left to register or thin (AV-13). Each query
// runs on the items_account_direction_received index or the account's own rows.
import { and, count, eq, gt, inArray, lte, max, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { items } from '../schema.ts';

export async function lastOutboundAt(db: Db, accountId: string): Promise<string | null> {
  const [row] = await db
    .select({ at: max(items.receivedAt) })
    .from(items)
    .where(and(eq(items.accountId, accountId), eq(items.direction, 'outbound')));
  return row?.at ?? null;
}

/** Items received in (after, until] that an officer assessed as `category`. */
export async function assessedSince(db: Db, accountId: string, category: string, after: string, until: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(items)
    .where(
      and(
        eq(items.accountId, accountId),
        inArray(items.direction, ['inbound', 'outbound']),
        gt(items.receivedAt, after),
        lte(items.receivedAt, until),
        sql`exists (select 1 from json_each(${items.context}, '$.categories') where value = ${category})`,
      ),
    );
  return row?.n ?? 0;
}

/** Items of the account not yet registered or thinned. */
export async function unsettledItems(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(items)
    .where(and(eq(items.accountId, accountId), notInArray(items.status, ['registered', 'thinned'])));
  return row?.n ?? 0;
}
