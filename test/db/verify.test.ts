// Verification reads the stored JSON texts and hashes them as they stand (db/ledger/verify-links.ts).
// What that must not change: rows written before the ledger stored canonical texts still verify,
// an edit is found however the texts are cut, and the chunked walk agrees with the whole walk.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyItemEvent } from '../../db/write/apply-item-event.ts';
import { canonicalJson, sha256 } from '../../db/ledger/hashing.ts';
import { appendEvent, linkText } from '../../db/ledger/ledger.ts';
import type { Organisation } from '../../db/organisations.ts';
import { verifyLedger, verifyLedgerChunk, type VerifyChunk } from '../../db/ledger/verify.ts';
import { activeAccount, officer, organisation, receivedItem, registrar, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let org: Organisation;

beforeEach(async () => {
  t = await tempDb();
  org = await organisation(t.store, 'tibro');
});
afterEach(() => t.cleanup());

const sql = (statement: string, args: Array<string | number> = []) => t.store.client.execute({ sql: statement, args });

/** An account and two items, one of them assessed, answered and registered: 7 links. */
async function populate() {
  const account = await activeAccount(t.store, org);
  const a = await receivedItem(t.store, org, account.id);
  const b = await receivedItem(t.store, org, account.id);
  let minute = 0;
  const step = async (event: Parameters<typeof applyItemEvent>[1]['event'], actor = officer) => {
    minute += 1;
    const result = await applyItemEvent(t.store, {
      orgId: org.id, itemId: a.id, actor, event, ifMatch: null, idempotency: null, now: new Date(t0.getTime() + minute * 60_000),
    });
    if (!result.ok) throw new Error(result.detail);
  };
  await step({ type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'required' });
  await step({ type: 'ANSWER', text: 'At ten.' });
  await step({ type: 'REGISTER', number: 'KS 2026/1' }, registrar);
  return { a: a.id, b: b.id };
}

async function column(name: string, subjectId: string, seq: number): Promise<string> {
  const { rows } = await sql(`select ${name} from ledger_events where subject_id = ? and seq = ?`, [subjectId, seq]);
  return String(rows[0]![0]);
}

/** The object of a JSON text with its keys in the opposite order: equal, but not canonical. */
function reversed(text: string): string {
  const value = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(value).reverse()));
}

describe('verifying stored JSON texts', () => {
  it('stores the JSON columns as the canonical text the hash covers', async () => {
    const { a } = await populate();
    const { rows } = await sql('select * from ledger_events where subject_id = ? and seq = 2', [a]);
    const row = rows[0]!;
    for (const name of ['from_state', 'to_state', 'payload']) {
      expect(row[name]).toBe(canonicalJson(JSON.parse(String(row[name]))));
    }
    const event = {
      orgId: org.id, orgSeq: Number(row.org_seq), subject: 'item' as const, subjectId: a, seq: 2, type: String(row.type),
      actor: { keyId: row.actor_key_id as string | null, role: String(row.actor_role) }, at: String(row.at), machine: String(row.machine),
      prevHash: String(row.prev_hash), policyVersion: row.policy_version as number | null,
    };
    const texts = { from: String(row.from_state), to: String(row.to_state), payload: String(row.payload) };
    expect(sha256(linkText(event, texts))).toBe(row.hash);
  });

  it('still verifies rows written before, with keys in the order they were written and a NULL written as text', async () => {
    const { a, b } = await populate();
    await sql('update ledger_events set payload = ?, to_state = ? where subject_id = ? and seq = 1', [
      reversed(await column('payload', a, 1)), reversed(await column('to_state', a, 1)), a,
    ]);
    await sql('update ledger_events set payload = ? where subject_id = ? and seq = 2', [reversed(await column('payload', a, 2)), a]);
    await sql(`update ledger_events set from_state = 'null' where subject_id = ? and seq = 1`, [b]);
    expect(await column('payload', a, 2)).not.toBe(canonicalJson(JSON.parse(await column('payload', a, 2))));

    expect(await verifyLedger(t.store.db)).toEqual({ ok: true, events: 7, breaks: [] });
    for (let after = 0; after < 7; after += 1) expect((await verifyLedgerChunk(t.store.db, org.id, after, 2))!.breaks).toEqual([]);
  });

  it('takes a JSON text rewritten with other spacing or key order as no edit: the hash covers the value, as it always did', async () => {
    const { a } = await populate();
    await sql(`update ledger_events set to_state = ? where subject_id = ? and seq = 3`, [
      JSON.stringify(JSON.parse(reversed(await column('to_state', a, 3))), null, 2), a,
    ]);
    expect((await verifyLedger(t.store.db)).ok).toBe(true);
    // The value itself is another matter.
    await sql(`update ledger_events set to_state = json_set(to_state, '$.records', 'closed') where subject_id = ? and seq = 3`, [a]);
    expect((await verifyLedger(t.store.db)).breaks).toEqual([{ itemId: a, seq: 3, reason: 'hash does not match the event (edited)' }]);
  });

  it('finds texts cut so that the hashed text is unchanged but the fields around them moved', async () => {
    const account = await activeAccount(t.store, org);
    // An original whose from-state holds, nested, the very fields that follow it in the hashed text.
    const subjectId = 'shifted';
    let orgSeq = 0;
    await t.store.writes.run(async (_tx, batch) => {
      orgSeq = (await batch.head(org.id)).seq + 1;
      await appendEvent(batch, {
        orgId: org.id, subject: 'item', subjectId, seq: 1, type: 'RECEIVED', actor: officer, at: t0.toISOString(), machine: 'item@1',
        from: { a: 1, machine: 'm2', orgId: org.id, orgSeq, payload: { z: 0 } }, to: { handling: 'received' }, payload: { accountId: account.id },
      });
    });
    const payload = await column('payload', subjectId, 1);
    // The from-state cut short, the machine taken from inside it, the rest carried by the payload.
    const cut = { from: '{"a":1', machine: 'm2', payload: `{"z":0}},"machine":"item@1","orgId":${JSON.stringify(org.id)},"orgSeq":${orgSeq},"payload":${payload}` };
    await sql('update ledger_events set from_state = ?, machine = ?, payload = ? where subject_id = ?', [cut.from, cut.machine, cut.payload, subjectId]);

    // The stored pieces put together give exactly the text the hash was made of…
    const { rows } = await sql('select * from ledger_events where subject_id = ?', [subjectId]);
    const row = rows[0]!;
    const event = {
      orgId: org.id, orgSeq, subject: 'item' as const, subjectId, seq: 1, type: 'RECEIVED', actor: { keyId: officer.keyId, role: officer.role },
      at: t0.toISOString(), machine: String(row.machine), prevHash: String(row.prev_hash), policyVersion: row.policy_version as number | null,
    };
    expect(sha256(linkText(event, { from: cut.from, to: String(row.to_state), payload: cut.payload }))).toBe(row.hash);
    // …and verification still names the edit.
    expect((await verifyLedger(t.store.db)).breaks).toEqual([{ itemId: subjectId, seq: 1, reason: 'hash does not match the event (edited)' }]);
  });

  it('verifies a link whose JSON values hold, nested, the keys that delimit them in the hashed text', async () => {
    await t.store.writes.run(async (_tx, batch) => {
      const orgSeq = (await batch.head(org.id)).seq + 1;
      await appendEvent(batch, {
        orgId: org.id, subject: 'item', subjectId: 'nested', seq: 1, type: 'RECEIVED', actor: officer, at: t0.toISOString(), machine: 'item@1',
        from: { to: 'x' }, to: { from: { type: 1 } }, payload: { machine: 'm', orgSeq, payload: {}, prevHash: '', type: 'screenshot' },
      });
    });
    expect(await verifyLedger(t.store.db)).toEqual({ ok: true, events: 1, breaks: [] });
  });

  it('names a JSON column that holds no JSON as edited (reading it through Drizzle threw)', async () => {
    const { a } = await populate();
    await sql(`update ledger_events set payload = '{"decision":' where subject_id = ? and seq = 2`, [a]);
    expect((await verifyLedger(t.store.db)).breaks).toEqual([{ itemId: a, seq: 2, reason: 'hash does not match the event (edited)' }]);
  });

  it('finds a column turned into a BLOB of the same bytes, as it did when rows were read through Drizzle', async () => {
    const { a } = await populate();
    await sql('update ledger_events set at = cast(at as blob) where subject_id = ? and seq = 2', [a]);
    await sql('update ledger_events set payload = cast(payload as blob) where subject_id = ? and seq = 4', [a]);
    expect((await verifyLedger(t.store.db)).breaks).toEqual([
      { itemId: a, seq: 2, reason: 'hash does not match the event (edited)' },
      { itemId: a, seq: 4, reason: 'hash does not match the event (edited)' },
    ]);
  });

  it('keeps the other links of a page in place when a text holds the separator the page is read with', async () => {
    const { a } = await populate();
    await sql(`update ledger_events set payload = '{"x":"a' || char(30) || 'b"}' where subject_id = ? and seq = 2`, [a]);
    await sql(`update ledger_events set to_state = '"x' || char(31) || char(30) || '"' where subject_id = ? and seq = 3`, [a]);
    expect((await verifyLedger(t.store.db)).breaks).toEqual([
      { itemId: a, seq: 2, reason: 'hash does not match the event (edited)' },
      { itemId: a, seq: 3, reason: 'hash does not match the event (edited)' },
    ]);
  });
});

describe('the chunked walk on a broken chain', () => {
  /** All chunks of `limit` from position `after`, as the audit page walks them. */
  async function walk(after: number, limit: number): Promise<VerifyChunk[]> {
    const chunks: VerifyChunk[] = [];
    for (;;) {
      const chunk = (await verifyLedgerChunk(t.store.db, org.id, after, limit))!;
      chunks.push(chunk);
      if (chunk.done) return chunks;
      after = chunk.position;
    }
  }

  it('finds the breaks of the whole walk, in chunks of any size and from any link it may start after', async () => {
    const { a, b } = await populate();
    for (let i = 0; i < 3; i += 1) await receivedItem(t.store, org, (await activeAccount(t.store, org, { handle: `h${i}` })).id);
    // A deleted middle event, two events of one item swapped, an edited payload.
    await sql('delete from ledger_events where subject_id = ? and seq = 2', [a]);
    const third = Number((await sql('select org_seq from ledger_events where subject_id = ? and seq = 3', [a])).rows[0]![0]);
    const fourth = Number((await sql('select org_seq from ledger_events where subject_id = ? and seq = 4', [a])).rows[0]![0]);
    await sql('update ledger_events set org_seq = -1 where org_id = ? and org_seq = ?', [org.id, third]);
    await sql('update ledger_events set org_seq = ? where org_id = ? and org_seq = ?', [third, org.id, fourth]);
    await sql('update ledger_events set org_seq = ? where org_id = ? and org_seq = -1', [fourth, org.id]);
    await sql(`update ledger_events set payload = json_set(payload, '$.x', 1) where subject_id = ? and seq = 1`, [b]);

    const positions = (await sql('select org_seq from ledger_events where org_id = ? order by org_seq', [org.id])).rows.map((r) => Number(r[0]));
    const whole = await verifyLedger(t.store.db, org.id);
    expect(whole.breaks.length).toBeGreaterThanOrEqual(4);
    const positioned = (await walk(0, positions.length + 10)).flatMap((chunk) => chunk.breaks);
    expect(positioned.map(({ orgSeq: _position, ...found }) => found)).toEqual(whole.breaks);

    for (const limit of [1, 2, 3, 5]) {
      expect((await walk(0, limit)).flatMap((chunk) => chunk.breaks)).toEqual(positioned);
      for (const after of positions) {
        const chunk = (await verifyLedgerChunk(t.store.db, org.id, after, limit))!;
        const within = positioned.filter((found) => found.orgSeq === null ? chunk.done : found.orgSeq > after && found.orgSeq <= chunk.position);
        expect(chunk.breaks, `after ${after}, limit ${limit}`).toEqual(within);
      }
    }
  });
});
