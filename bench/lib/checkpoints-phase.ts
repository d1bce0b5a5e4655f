// The transition figure with ledger checkpoints off and on, in the same run: the bench's server
// (no LEDGER_SIGNING_KEY) and a second server process on the same file with a key, its schedules
// on and CHECKPOINT_EVERY_EVENTS=1000 / CHECKPOINT_EVERY_MINUTES=1, loaded in turn, run by run,
// over the same items. The Merkle tree grows with every event in both (it is part of the write
// path); what a step's tree append costs in CPU is measured apart, in this process.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { leafHash, appendLeaf } from '../../db/ledger/merkle.ts';
import { createSigningKeyFile } from '../../db/ledger/signing-key.ts';
import { sha256 } from '../../db/ledger/hashing.ts';
import { ledgerHead, settledCount } from './against-references.ts';
import { runLoad } from './load-client.ts';
import type { LoadResult } from '../load.ts';
import { heldItems, itemPool, type Bench } from './phases.ts';
import { countRows } from './seed.ts';
import { startServer } from './server.ts';
import { figure } from './stats.ts';

export async function checkpoints(b: Bench) {
  const ids = await itemPool(b);
  const keyDir = mkdtempSync(join(b.dir, 'key-'));
  const keyFile = join(keyDir, 'ledger.key');
  createSigningKeyFile(keyFile);
  const signing = await startServer(b.dir, {
    log: 'server-checkpoints',
    env: { SCHEDULES: 'on', LEDGER_SIGNING_KEY: keyFile, CHECKPOINT_EVERY_EVENTS: '1000', CHECKPOINT_EVERY_MINUTES: '1' },
  });
  try {
    const held = () => heldItems(b, ids);
    const load = async (url: string, duration: number) => {
      // The requests cut off at the end of the last run commit first (on either server), so the held list is current.
      await settledCount(() => ledgerHead(b));
      return runLoad({
        url, connections: b.config.connections, duration, headers: { authorization: `Bearer ${b.keys.registrar}` },
        mode: 'toggle', pathTemplate: '/v1/items/{id}/events', ids, held: await held(),
      });
    };
    await load(b.server.url, b.config.warmup);
    await load(signing.url, b.config.warmup);
    const off: LoadResult[] = [];
    const on: LoadResult[] = [];
    for (let run = 1; run <= b.config.runs; run++) {
      // Alternating which goes first, so a trend in the machine's load hits both alike.
      if (run % 2 === 1) {
        off.push(await load(b.server.url, b.config.duration));
        on.push(await load(signing.url, b.config.duration));
      } else {
        on.push(await load(signing.url, b.config.duration));
        off.push(await load(b.server.url, b.config.duration));
      }
    }
    for (const r of [...off, ...on]) if (r.non2xx + r.errors > 0) b.problems.push(`checkpoints: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    const signed = await countRows(b.store.client, `select count(*) from ledger_checkpoints where org_id = '${b.orgId}'`);
    if (signed === 0) b.problems.push('checkpoints: the signing server signed no checkpoint');
    const rate = (r: LoadResult) => r.perSecond;
    b.raw.checkpoints = { off, on, signed };
    b.figures.push(
      figure('transitionsCheckpointsOff', 'transitions/s, checkpoints off (no key)', '/s', off.map(rate)),
      figure('transitionsCheckpointsOn', 'transitions/s, checkpoints on (key, job every minute)', '/s', on.map(rate)),
      figure('checkpointsOnOverOff', 'checkpoints on ÷ off (per run)', '×', on.map((r, i) => rate(r) / rate(off[i]!)), {
        target: { op: '>=', value: 0.95 }, note: 'issue 20: within 5 % of the figure without checkpoints',
      }),
      figure('merkleAppendMicros', 'Merkle tree append per event: leaf hash + closed subtrees (CPU, in process)', 'µs', merkleAppendMicros(b.config.runs)),
    );
  } finally {
    await signing.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
}

/** µs per event of what the write batch adds to a step in JavaScript: the leaf hash and appendLeaf (median of runs of 100,000). */
function merkleAppendMicros(runs: number): number[] {
  const hashes = Array.from({ length: 100_000 }, (_, i) => sha256(`event ${i}`));
  const out: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const frontier: string[] = [];
    const started = performance.now();
    for (let i = 0; i < hashes.length; i++) appendLeaf(frontier, i, leafHash(hashes[i]!));
    const micros = ((performance.now() - started) * 1000) / hashes.length;
    if (run > 0) out.push(micros); // the first warms the code
  }
  return out;
}
