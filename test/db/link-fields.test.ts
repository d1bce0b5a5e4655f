// The ledger's hashed text comes from one declared list of fields (db/ledger/ledger.ts linkFields):
// every field of a chained event is on it, and an edit of any of its columns in a stored link is
// found by verification.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkFields, type ChainedEvent } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { activeAccount, organisation, receivedItem } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let org: Organisation;

beforeEach(async () => {
  t = await tempDb();
  org = await organisation(t.store, 'tibro');
});
afterEach(() => t.cleanup());

const columns = linkFields.flatMap((field) => field.columns.map((column) => [field.name, column] as const));

/** A value for `column` unlike the stored one, of a kind the column accepts. */
function edited(column: string, stored: unknown): unknown {
  if (typeof stored === 'number') return stored + 1_000;
  if (column === 'from_state' || column === 'to_state') return '"elsewhere"';
  if (column === 'payload') return '{"edited":true}';
  if (stored === null) return 'someone';
  return `${String(stored)}x`;
}

describe('linkFields', () => {
  it('names every field of a chained event but its own hash, in sorted order', () => {
    const event: Record<keyof Omit<ChainedEvent, 'hash'>, true> = {
      orgId: true, orgSeq: true, subject: true, subjectId: true, seq: true, type: true, actor: true, at: true, machine: true,
      from: true, to: true, payload: true, prevHash: true, policyVersion: true,
    };
    const names = linkFields.map((field) => field.name);
    expect(names).toEqual(Object.keys(event).sort());
  });

  it.each(columns)('an edit of %s (column %s) in a stored link breaks verification', async (_field, column) => {
    const account = await activeAccount(t.store, org);
    await receivedItem(t.store, org, account.id);
    expect((await verifyLedger(t.store.db, org.id)).ok).toBe(true);
    // The last link: the item's RECEIVED event (an actor key id is set on it).
    const { rows: [row] } = await t.store.client.execute({
      sql: `select "${column}" as v, org_seq from ledger_events where org_id = ? order by org_seq desc limit 1`, args: [org.id],
    });
    await t.store.client.execute({
      sql: `update ledger_events set "${column}" = ? where org_id = ? and org_seq = ?`,
      args: [edited(column, row!.v) as string, org.id, row!.org_seq as number],
    });
    const report = await verifyLedger(t.store.db, org.id);
    expect(report.ok).toBe(false);
    expect(report.breaks.length).toBeGreaterThan(0);
  });

  it('records the policy version on every link, and a link whose version is cleared breaks verification', async () => {
    const account = await activeAccount(t.store, org);
    await receivedItem(t.store, org, account.id);
    const { rows } = await t.store.client.execute({ sql: 'select policy_version from ledger_events where org_id = ?', args: [org.id] });
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((row) => row.policy_version === 1)).toBe(true);
    await t.store.client.execute({ sql: 'update ledger_events set policy_version = null where org_id = ? and org_seq = 1', args: [org.id] });
    expect((await verifyLedger(t.store.db, org.id)).breaks.map((b) => b.reason)).toEqual(['hash does not match the event (edited)']);
  });
});
