// The ledger's Merkle tree as the write path keeps it: exact under group commit with many
// concurrent writers of two organisations, built for a database written before it, and the chain
// still verifies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/client.ts';
import { leafHash, nodeHash, rootOfLeaves } from '../../db/ledger/merkle.ts';
import { storedTreeHead } from '../../db/ledger/merkle-store.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import type { Organisation } from '../../db/organisations.ts';
import { activeAccount, organisation, receivedItem } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the ledger Merkle tree in the write path', () => {
  let t: TempDb;
  let tibro: Organisation;
  let avesta: Organisation;

  beforeEach(async () => {
    t = await tempDb();
    tibro = await organisation(t.store, 'tibro');
    avesta = await organisation(t.store, 'avesta');
  });
  afterEach(() => t.cleanup());

  const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

  /** The tree recomputed from the chain's link hashes, and every node the tree should hold. */
  async function expected(org: Organisation) {
    const { rows } = await sql('select hash from ledger_events where org_id = ? order by org_seq', [org.id]);
    const leaves = rows.map((r) => leafHash(r[0] as string));
    const nodes = new Map<string, string>();
    let level = leaves;
    for (let l = 0; level.length > 0; l++) {
      level.forEach((h, i) => nodes.set(`${l}:${i}`, h));
      const up: string[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
      level = up;
    }
    return { size: leaves.length, root: rootOfLeaves(leaves), nodes };
  }

  async function storedNodes(org: Organisation) {
    const { rows } = await sql('select level, idx, hash from ledger_nodes where org_id = ?', [org.id]);
    return new Map(rows.map((r) => [`${r[0]}:${r[1]}`, r[2] as string]));
  }

  it('keeps each organisation\'s tree exact while 120 items of two organisations arrive at once (group commit)', async () => {
    const [ta, aa] = [await activeAccount(t.store, tibro), await activeAccount(t.store, avesta)];
    await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? receivedItem(t.store, avesta, aa.id) : receivedItem(t.store, tibro, ta.id))));
    for (const org of [tibro, avesta]) {
      const want = await expected(org);
      expect(want.size).toBeGreaterThan(40);
      expect(await storedTreeHead(t.store.client, org.id)).toEqual({ size: want.size, rootHash: want.root });
      expect(await storedNodes(org)).toEqual(want.nodes);
    }
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
  });

  it('builds the tree of a database written before it when migrating, and the write path goes on from it', async () => {
    const account = await activeAccount(t.store, tibro);
    for (let i = 0; i < 5; i++) await receivedItem(t.store, tibro, account.id);
    await sql('delete from ledger_nodes');
    await sql(`update organisations set ledger_frontier = '[]'`);
    expect(await storedTreeHead(t.store.client, tibro.id)).toBeNull();
    await migrateDatabase(t.store);
    expect(await storedTreeHead(t.store.client, tibro.id)).toEqual({ size: (await expected(tibro)).size, rootHash: (await expected(tibro)).root });
    await receivedItem(t.store, tibro, account.id);
    const want = await expected(tibro);
    expect(await storedTreeHead(t.store.client, tibro.id)).toEqual({ size: want.size, rootHash: want.root });
    expect(await storedNodes(tibro)).toEqual(want.nodes);
  });
});
