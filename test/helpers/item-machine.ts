// Driving item@1 in machine tests: one minimal payload per event type, and a snapshot reached
// from the start by a list of events under a preset.
import type { ItemMachineEvent, ItemKind } from '../../machines/item.machine.ts';
import { itemRulesOf } from '../../machines/item.rules.ts';
import { startItem, stepItem, type ItemSnapshot } from '../../machines/item.step.ts';
import { presets, type PresetName } from '../../machines/policy/presets.ts';
import type { Platform } from '../../machines/policy/policy.schema.ts';

export const events: Record<ItemMachineEvent['type'], ItemMachineEvent> = {
  ASSESS: { type: 'ASSESS', decision: 'answer', categories: ['question'], registration: 'not_required' },
  ACKNOWLEDGE: { type: 'ACKNOWLEDGE' },
  ANSWER: { type: 'ANSWER' },
  FORWARD: { type: 'FORWARD', to: 'Culture unit' },
  NOTIFY_AUTHOR: { type: 'NOTIFY_AUTHOR' },
  CAPTURE_EVIDENCE: { type: 'CAPTURE_EVIDENCE' },
  UNPUBLISH: { type: 'UNPUBLISH', reason: 'Insult', categories: ['personal_attack'] },
  REGISTER: { type: 'REGISTER', number: 'KS 2026/1' },
  CLOSE_CONVERSATION: { type: 'CLOSE_CONVERSATION' },
  HOLD: { type: 'HOLD', reason: 'Access request' },
  RELEASE_HOLD: { type: 'RELEASE_HOLD', reason: 'Handled' },
  THIN: { type: 'THIN', reason: 'Temporary value' },
  DEADLINE_BREACHED: { type: 'DEADLINE_BREACHED', deadline: 'assess', dueAt: '2026-11-24T23:00:00.000Z' },
};
export function drive(preset: PresetName, steps: ItemMachineEvent[], options: { platform?: Platform; kind?: ItemKind } = {}): ItemSnapshot {
  const platform = options.platform ?? 'facebook';
  let snapshot = startItem({ kind: options.kind ?? 'comment', direction: 'inbound', platform, rules: itemRulesOf(presets[preset], platform) });
  for (const event of steps) {
    const outcome = stepItem(snapshot, event);
    if (!outcome.ok) throw new Error(`${event.type}: ${outcome.detail}`);
    snapshot = outcome.snapshot;
  }
  return snapshot;
}
