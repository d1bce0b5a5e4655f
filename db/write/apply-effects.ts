// How each kind of effect a machine step returns becomes durable, in the step's transaction. The
// write path hands every effect here by its kind; nothing here knows event types.
// `payload` effects run before the event is chained (they put hashes into its payload), the rest
// after it.
import { sql } from 'drizzle-orm';
import type { Effect, EffectType } from '../../machines/effects.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import type { Tx } from '../client.ts';
import { eraseItemContents, storeContent } from '../items/contents.ts';
import { applyDeadlineChanges, markBreached } from '../items/deadlines.ts';
import { newId } from '../ids.ts';
import type { Actor } from '../ledger/ledger.ts';
import { monitoringDays, thinningDecisions } from '../schema.ts';
import type { WriteBatch } from './write-batch.ts';

export interface EffectScope {
  tx: Tx;
  batch: WriteBatch;
  orgId: string;
  /** The item or account the step changed, and when its item was received (deadlines count from it). */
  subjectId: string;
  type: string;
  receivedAt: string | null;
  contentHash: string | null;
  policy: Policy;
  actor: Actor;
  at: string;
  now: Date;
  /** The event's ledger payload, still open to `payload` effects. */
  payload: Record<string, unknown>;
}

type Applier<E extends Effect> = { phase: 'payload' | 'after'; apply(scope: EffectScope, effect: E): Promise<void> };

const appliers: { [T in EffectType]: Applier<Extract<Effect, { type: T }>> } = {
  'store-apart': {
    phase: 'payload',
    async apply(s, effect) {
      s.payload[`${effect.field}Sha256`] = storeContent(s.batch, {
        orgId: s.orgId, itemId: s.subjectId, role: 'event', at: s.at, body: { event: s.type, [effect.field]: effect.text },
      });
    },
  },
  'capture-evidence': {
    phase: 'payload',
    // AV-7: the content and the sender's details as they stand now.
    async apply(s) {
      const content = s.contentHash ? await s.batch.content(s.contentHash) : null;
      s.payload.evidenceSha256 = storeContent(s.batch, {
        orgId: s.orgId, itemId: s.subjectId, role: 'evidence', at: s.at, body: { capturedAt: s.at, ...(content?.body ?? {}) },
      });
    },
  },
  deadline: {
    phase: 'after',
    async apply(s, { kind, change }) {
      if (change === 'breach') {
        await markBreached(s.batch, s.subjectId, kind, s.at);
        return;
      }
      await applyDeadlineChanges(s.batch, {
        orgId: s.orgId, itemId: s.subjectId, receivedAt: s.receivedAt ?? s.at, policy: s.policy, at: s.at, changes: [{ kind, change }],
      });
    },
  },
  'erase-content': {
    phase: 'after',
    async apply(s, effect) {
      await eraseItemContents(s.batch, s.subjectId, effect.reason, s.at);
    },
  },
  'thinning-decision': {
    phase: 'after',
    // A scheduled run names its decision (decisionId in the payload) and has written it; a
    // registrar's THIN is a decision of its own, with the same fields.
    async apply(s, effect) {
      const org = await s.batch.organisation(s.orgId);
      const id = typeof s.payload.decisionId === 'string' ? s.payload.decisionId : newId(s.now);
      const rule = typeof s.payload.rule === 'string' ? s.payload.rule : effect.rule;
      await s.tx
        .insert(thinningDecisions)
        .values({
          id, orgId: s.orgId, decidedAt: s.at, rule, preset: org?.preset ?? '', job: s.actor.keyId ? `${s.actor.role}:${s.actor.keyId}` : s.actor.role,
          itemIds: [s.subjectId], reason: effect.reason,
        })
        .onConflictDoUpdate({
          target: thinningDecisions.id,
          set: { itemIds: sql`json_insert(${thinningDecisions.itemIds}, '$[#]', ${s.subjectId})` },
        });
    },
  },
  'monitored-day': {
    phase: 'after',
    // AV-6, TI-2: the day counts as watched; a day already judged missed stays missed.
    async apply(s, effect) {
      await s.tx.insert(monitoringDays).values({ accountId: s.subjectId, day: effect.day, status: 'monitored', recordedAt: s.at }).onConflictDoNothing();
    },
  },
};

export async function applyEffects(scope: EffectScope, effects: readonly Effect[], phase: 'payload' | 'after'): Promise<void> {
  for (const effect of effects) {
    const applier = appliers[effect.type] as Applier<Effect>;
    if (applier.phase === phase) await applier.apply(scope, effect);
  }
}
