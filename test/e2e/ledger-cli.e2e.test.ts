// The ledger commands as an operator and an auditor run them: `diarium ledger init-key` (never
// overwriting), `diarium ledger checkpoint --org` (refused without a key), and `diarium verify
// --checkpoint FILE`, which exits 1 naming the first event that differs after an insider rewrote
// the history consistently — while plain `diarium verify` still exits 0.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noKeyDetail } from '../../db/ledger/checkpoints.ts';
import { eventHash, rowToEvent } from '../../db/ledger/ledger.ts';
import { ledgerEvents } from '../../db/schema.ts';
import { activeAccount, organisation, receivedItem } from '../helpers/fixtures.ts';
import { diarium } from '../helpers/processes.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('diarium ledger and verify --checkpoint', () => {
  let t: TempDb;
  let dir: string;

  beforeEach(async () => {
    t = await tempDb();
    dir = mkdtempSync(join(tmpdir(), 'diarium-ledger-cli-'));
  });
  afterEach(() => {
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a key once, signs a checkpoint to keep, and catches a consistent rewrite that plain verify calls intact', async () => {
    const keyFile = join(dir, 'ledger.key');
    const env = { LEDGER_SIGNING_KEY: keyFile };
    const made = await diarium(['ledger', 'init-key'], t.url, env);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ path: keyFile, algorithm: 'Ed25519', keyId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(existsSync(keyFile)).toBe(true);
    const again = await diarium(['ledger', 'init-key'], t.url, env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/never overwritten/);

    const org = await organisation(t.store, 'tibro');
    const account = await activeAccount(t.store, org);
    for (let i = 0; i < 4; i++) await receivedItem(t.store, org, account.id);
    const withoutKey = await diarium(['ledger', 'checkpoint', '--org', 'tibro'], t.url);
    expect(withoutKey.code).toBe(2);
    expect(JSON.parse(withoutKey.stderr).error).toBe(noKeyDetail);

    const signed = await diarium(['ledger', 'checkpoint', '--org', 'tibro'], t.url, env);
    expect(signed.code, signed.stderr).toBe(0);
    const kept = JSON.parse(signed.stdout);
    expect(kept).toMatchObject({ org: 'tibro', size: 6, algorithm: 'Ed25519' });
    const file = join(dir, 'tibro-checkpoint.json');
    writeFileSync(file, signed.stdout);
    const holds = await diarium(['verify', '--checkpoint', file], t.url);
    expect(holds.code, holds.stdout).toBe(0);
    expect(JSON.parse(holds.stdout)).toMatchObject({ ok: true, signature: 'valid', extends: true });

    // The insider: the third event's payload edited, every later hash and the head recomputed.
    const rows = await t.store.db.select().from(ledgerEvents).where(eq(ledgerEvents.orgId, org.id)).orderBy(asc(ledgerEvents.orgSeq));
    let prevHash = rows[1]!.hash;
    for (const row of rows.slice(2)) {
      const event = rowToEvent(row);
      const payload = row.orgSeq === 3 ? { ...event.payload, kind: 'post' } : event.payload;
      const hash = eventHash({ ...event, payload, prevHash });
      await t.store.client.execute({ sql: 'update ledger_events set payload = ?, prev_hash = ?, hash = ? where org_id = ? and org_seq = ?', args: [JSON.stringify(payload), prevHash, hash, org.id, row.orgSeq] });
      prevHash = hash;
    }
    await t.store.client.execute({ sql: 'update organisations set ledger_head = ? where id = ?', args: [prevHash, org.id] });

    const plain = await diarium(['verify', '--org', 'tibro'], t.url);
    expect(plain.code).toBe(0);
    const broken = await diarium(['verify', '--checkpoint', file], t.url);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstDifference: { orgSeq: 3, subjectId: rows[2]!.subjectId, exact: true } });
  }, 180_000);
});
