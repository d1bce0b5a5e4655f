// Each organisation's ledger Merkle tree as stored: perfect subtrees in ledger_nodes, the frontier
// with the organisation's chain head. The write batch appends (write-batch.ts); this file builds a
// tree that is missing (a database from before the tree) and reads nodes for proofs.
import type { InStatement, InValue, ResultSet } from '@libsql/client';
import type { Store } from '../client.ts';
import { appendLeaf, frontierPositions, frontierRoot, leafHash, nodesRead, type NodeSource, type TreeNode } from './merkle.ts';

type Sql = { execute(statement: InStatement): Promise<ResultSet> };

/** The ledger_nodes rows a batch writes. */
export const nodeColumns = ['org_id', 'level', 'idx', 'hash'] as const;
export const nodeValues = (orgId: string, node: TreeNode): InValue[] => [orgId, node.level, node.index, node.hash];

/** Whether a stored frontier belongs to a tree of `size` leaves (one subtree per set bit). */
export function frontierFits(frontier: readonly string[], size: number): boolean {
  return frontier.length === frontierPositions(size).length;
}

export function parseFrontier(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) && value.every((h) => typeof h === 'string') ? value : [];
}

/**
 * Builds an organisation's tree from its chain, for a database written before the tree existed:
 * removes any partial nodes and returns the frontier and every node, for the caller to write in
 * its own transaction. Reads every link hash once.
 */
export async function buildTree(sql: Sql, orgId: string, size: number): Promise<{ frontier: string[]; nodes: TreeNode[] }> {
  await sql.execute({ sql: 'delete from ledger_nodes where org_id = ?', args: [orgId] });
  const { rows } = await sql.execute({
    sql: 'select hash from ledger_events where org_id = ? and org_seq <= ? order by org_seq',
    args: [orgId, size],
  });
  const frontier: string[] = [];
  const nodes: TreeNode[] = [];
  rows.forEach((row, i) => nodes.push(...appendLeaf(frontier, i, leafHash(row[0] as string))));
  return { frontier, nodes };
}

/** The stored hashes of the given nodes, keyed `level:index`. */
async function readNodes(sql: Sql, orgId: string, wanted: Array<{ level: number; index: number }>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 400) {
    const part = wanted.slice(i, i + 400);
    const { rows } = await sql.execute({
      sql: `with w(level, idx) as (select value ->> 0, value ->> 1 from json_each(?2))
            select n.level, n.idx, n.hash from ledger_nodes n join w on n.level = w.level and n.idx = w.idx where n.org_id = ?1`,
      args: [orgId, JSON.stringify(part.map((p) => [p.level, p.index]))],
    });
    for (const row of rows) found.set(`${row[0]}:${row[1]}`, row[2] as string);
  }
  return found;
}

/**
 * Runs a proof algorithm over the stored tree: one pass records which nodes it reads, one query
 * reads them, a second pass computes. Throws when a node is missing (the tree is not built that far).
 */
export async function overStoredTree<T>(sql: Sql, orgId: string, run: (source: NodeSource) => T): Promise<T> {
  const found = await readNodes(sql, orgId, nodesRead(run));
  return run((level, index) => {
    const hash = found.get(`${level}:${index}`);
    if (hash === undefined) throw new Error(`ledger tree node ${level}:${index} of ${orgId} is missing`);
    return hash;
  });
}

/** The stored tree's size and root: the organisation's chain head and its frontier. */
export async function storedTreeHead(sql: Sql, orgId: string): Promise<{ size: number; rootHash: string } | null> {
  const { rows: [row] } = await sql.execute({ sql: 'select ledger_seq, ledger_frontier from organisations where id = ?', args: [orgId] });
  if (!row) return null;
  const size = Number(row[0]);
  const frontier = parseFrontier(row[1] as string);
  if (!frontierFits(frontier, size)) return null;
  return { size, rootHash: frontierRoot(frontier) };
}

/** Builds the tree of every organisation whose tree is missing, each in its own write. */
export async function buildMissingTrees(store: Store): Promise<number> {
  const { rows } = await store.client.execute('select id, ledger_seq, ledger_frontier from organisations');
  let built = 0;
  for (const row of rows) {
    if (frontierFits(parseFrontier(row[2] as string), Number(row[1]))) continue;
    // The batch builds a missing tree when it first reads the head, and writes it on flush.
    await store.writes.run(async (_tx, batch) => batch.head(row[0] as string));
    built += 1;
  }
  return built;
}
