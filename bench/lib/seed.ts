// Data for the figures that need volume. Real items come through the API; volume for the list
// figure is cloned in SQL from real items (same machine state, content and account), because
// ingesting a million items over HTTP would take longer than the whole suite may.
import type { Client } from '@libsql/client';
import { http } from './server.ts';

/** Clone ids are UUIDs (the list cursor must be one) that sort before today's UUIDv7 ids. */
export function cloneId(i: number): string {
  return `01900000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** `count` more items, alternating between the templates, in chunks so the WAL stays small. */
export async function cloneItems(client: Client, templateIds: string[], from: number, count: number): Promise<void> {
  const chunk = 100_000;
  for (let start = from; start < from + count; start += chunk) {
    const end = Math.min(from + count, start + chunk) - 1;
    await client.execute({
      sql: `with recursive n(i) as (select ? union all select i + 1 from n where i < ?)
            insert into items (id, org_id, account_id, external_id, kind, direction, received_at, machine, status, state,
                               context, version, content_hash, created_at, updated_at)
            select printf('01900000-0000-7000-8000-%012x', i), t.org_id, t.account_id, printf('clone-%d', i), t.kind,
                   t.direction, t.received_at, t.machine, t.status, t.state, t.context, t.version, t.content_hash,
                   t.created_at, t.updated_at
            from n join items t on t.id = case n.i % ${templateIds.length} ${templateIds.map((_, j) => `when ${j} then ?`).join(' ')} end`,
      args: [start, end, ...templateIds],
    });
  }
}

export async function countRows(client: Client, sql: string, args: Array<string | number> = []): Promise<number> {
  const result = await client.execute({ sql, args });
  return Number(result.rows[0]?.[0] ?? 0);
}

/** One item with `events` events in its history: RECEIVED, then HOLD and RELEASE_HOLD in turn. */
export async function longHistoryItem(url: string, keys: { integrator: string; registrar: string }, accountId: string, events: number) {
  const item = await http(url, keys.integrator, 'POST', '/v1/items', {
    accountId, externalId: `long-history-${events}-${Date.now()}`, kind: 'comment', direction: 'inbound',
    author: { handle: 'resident' }, text: 'An item that will be held and released many times.',
  });
  const id = item.id as string;
  // Each hold has a reason of its own, so no two steps of the history are alike, as in a real
  // item's: a history that repeats would flatter any memory of steps taken before.
  for (let seq = 2; seq <= events; seq++) {
    await http(url, keys.registrar, 'POST', `/v1/items/${id}/events`, { type: seq % 2 === 0 ? 'HOLD' : 'RELEASE_HOLD', reason: `hold ${seq}` });
  }
  return id;
}
