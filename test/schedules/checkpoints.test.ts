// The checkpoints job: without a key it signs nothing and says so; with one it signs each
// organisation whose ledger has grown by the event setting or aged past the minute setting, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCheckpoints, type CheckpointSettings } from '../../db/ledger/checkpoints.ts';
import { createSigningKeyFile } from '../../db/ledger/signing-key.ts';
import { checkpoints } from '../../schedules/checkpoints.ts';
import { activeAccount, organisation, receivedItem, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the checkpoints job', () => {
  let t: TempDb;
  let keyDir: string;
  let settings: CheckpointSettings;

  beforeEach(async () => {
    t = await tempDb();
    keyDir = mkdtempSync(join(tmpdir(), 'diarium-key-'));
    settings = { signer: createSigningKeyFile(join(keyDir, 'k')), everyEvents: 3, everyMinutes: 30 };
  });
  afterEach(() => {
    t.cleanup();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
  const run = (now: Date, s: CheckpointSettings | undefined = settings) => checkpoints.run({ store: t.store, clock: () => now, checkpoints: s }, now);

  it('signs nothing without a key', async () => {
    const org = await organisation(t.store, 'tibro');
    await activeAccount(t.store, org);
    expect(await run(minutes(1), { ...settings, signer: null })).toEqual({ created: 0, withoutKey: 1 });
    expect(await listCheckpoints(t.store.db, org.id)).toEqual([]);
  });

  it('signs a new ledger at once, then after N events or M minutes of growth, never twice for one size', async () => {
    const tibro = await organisation(t.store, 'tibro');
    const avesta = await organisation(t.store, 'avesta'); // no events: nothing to sign
    const account = await activeAccount(t.store, tibro);
    expect(await run(minutes(1))).toEqual({ created: 1, withoutKey: 0 });
    expect(await run(minutes(2))).toEqual({ created: 0, withoutKey: 0 });
    await receivedItem(t.store, tibro, account.id);
    expect(await run(minutes(3))).toEqual({ created: 0, withoutKey: 0 }); // one event, 2 minutes: not due
    await receivedItem(t.store, tibro, account.id);
    await receivedItem(t.store, tibro, account.id);
    expect(await run(minutes(4))).toEqual({ created: 1, withoutKey: 0 }); // three events since
    await receivedItem(t.store, tibro, account.id);
    expect(await run(minutes(20))).toEqual({ created: 0, withoutKey: 0 });
    expect(await run(minutes(34))).toEqual({ created: 1, withoutKey: 0 }); // 30 minutes since, grown
    expect((await listCheckpoints(t.store.db, tibro.id)).map((c) => c.size)).toEqual([6, 5, 2]);
    expect(await listCheckpoints(t.store.db, avesta.id)).toEqual([]);
  });
});
