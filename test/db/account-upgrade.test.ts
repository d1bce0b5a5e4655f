// Live account@1 accounts (written as the first release wrote them) are upgraded to account@2 by
// a recorded UPGRADED event: replay runs the old events under account@1 and the rest under
// account@2, the chain verifies, and the account then takes account@2's events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgradeAccounts } from '../../db/accounts/account-upgrade.ts';
import { applyAccountEvent, findAccount } from '../../db/accounts/accounts.ts';
import { appendEvent } from '../../db/ledger/ledger.ts';
import { subjectHistory } from '../../db/ledger/ledger.ts';
import { newId } from '../../db/ids.ts';
import { policyOf, type Organisation } from '../../db/organisations.ts';
import { replayAccount } from '../../db/ledger/replay.ts';
import { accounts } from '../../db/schema.ts';
import { verifyLedger } from '../../db/ledger/verify.ts';
import { accountV1Stepper, accountV1Version, startAccountV1 } from '../../machines/account.v1.machine.ts';
import { admin, completeAccount, officer, organisation, t0 } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

let t: TempDb;
let org: Organisation;
beforeEach(async () => {
  t = await tempDb();
  org = await organisation(t.store, 'tibro');
});
afterEach(() => t.cleanup());

const later = new Date('2026-12-01T08:00:00Z');

/** An account as account@1 stored it: PROPOSED, and APPROVE when `approve`. */
async function v1Account(approve: boolean): Promise<string> {
  const input = {
    platform: 'facebook', hasPurpose: true, hasAudience: true, hasResponsible: true, hasSubstitute: true, adminCount: 2,
    approvalRule: 'TI-1', requireSubstitute: true, minAdmins: 2, minAdminsRule: 'TI-4',
  };
  const proposed = startAccountV1(input);
  const approved = accountV1Stepper.step(proposed, { type: 'APPROVE' });
  if (!approved.ok) throw new Error(approved.detail);
  const id = newId(t0);
  const at = t0.toISOString();
  await t.store.writes.run(async (tx, batch) => {
    const final = approve ? approved.snapshot : proposed;
    await tx.insert(accounts).values({
      id, orgId: org.id, platform: 'facebook', handle: 'tibro', url: null, purpose: completeAccount.purpose!, audience: 'Residents',
      ownerUnit: 'Communications', responsible: completeAccount.responsible!, substitute: completeAccount.substitute!,
      admins: completeAccount.admins!, status: final.value as string, machine: accountV1Version, state: final.value,
      context: final.context, version: approve ? 2 : 1, createdAt: at, updatedAt: at,
    });
    await appendEvent(batch, {
      orgId: org.id, subject: 'account', subjectId: id, seq: 1, type: 'PROPOSED', actor: admin, at, machine: accountV1Version,
      from: null, to: proposed.value, payload: { input: proposed.context },
    });
    if (approve) {
      await appendEvent(batch, {
        orgId: org.id, subject: 'account', subjectId: id, seq: 2, type: 'APPROVE', actor: admin, at, machine: accountV1Version,
        from: proposed.value, to: approved.snapshot.value, payload: {},
      });
    }
  });
  return id;
}

describe('upgrading account@1 to account@2', () => {
  it('records one UPGRADED event per live account and keeps state, approval time and a verifying chain', async () => {
    const active = await v1Account(true);
    const proposed = await v1Account(false);
    expect(await upgradeAccounts(t.store, later)).toBe(2);
    expect(await upgradeAccounts(t.store, later)).toBe(0);

    const row = (await findAccount(t.store.db, org.id, active))!;
    expect(row).toMatchObject({ machine: 'account@2', status: 'active', version: 3 });
    expect(row.context).toMatchObject({ approvedAt: t0.toISOString(), activeSince: t0.toISOString(), finalSnapshot: false });
    const history = await subjectHistory(t.store.db, org.id, active);
    expect(history.map((e) => [e.type, e.machine])).toEqual([
      ['PROPOSED', 'account@1'], ['APPROVE', 'account@1'], ['UPGRADED', 'account@2'],
    ]);
    expect((await findAccount(t.store.db, org.id, proposed))).toMatchObject({ machine: 'account@2', status: 'proposed' });
    expect(await verifyLedger(t.store.db, org.id)).toMatchObject({ ok: true, breaks: [] });
  });

  it('replays across the versions to the stored snapshot, before and after further account@2 events', async () => {
    const id = await v1Account(true);
    await upgradeAccounts(t.store, later);
    expect(await replayAccount(t.store.db, org.id, id, later)).toMatchObject({ eventsApplied: 3, matchesStored: true, status: 'active' });
    // As of before the upgrade, replay stops under account@1.
    expect(await replayAccount(t.store.db, org.id, id, t0)).toMatchObject({ eventsApplied: 2, status: 'active' });

    // account@2's rules now hold for the upgraded account: CLOSE needs a final snapshot (AV-13).
    const policy = policyOf(org);
    const close = { type: 'CLOSE', reason: 'Channel replaced' } as const;
    expect(await applyAccountEvent(t.store, { orgId: org.id, policy, accountId: id, actor: officer, event: close, now: later }))
      .toMatchObject({ ok: false, code: 'refused', rule: 'AV-13' });
    const snapshot = {
      type: 'SNAPSHOT', sha256: 'a'.repeat(64), format: 'pdf/a-1', takenAt: later.toISOString(), final: true,
    } as const;
    expect((await applyAccountEvent(t.store, { orgId: org.id, policy, accountId: id, actor: officer, event: snapshot, now: later })).ok).toBe(true);
    expect(await applyAccountEvent(t.store, { orgId: org.id, policy, accountId: id, actor: officer, event: close, now: later }))
      .toMatchObject({ ok: true, account: { status: 'closing' } });
    expect(await replayAccount(t.store.db, org.id, id, later)).toMatchObject({ eventsApplied: 5, matchesStored: true, status: 'closing' });
  });
});
