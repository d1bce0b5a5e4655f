// machines/step.ts tells an accepted event from one XState ignores by whether transition() answers
// a new snapshot. That holds only if every transition of every machine changes something: a
// transition with neither a target nor an action would be taken without a new snapshot being
// needed, and can() would call it not allowed. This test keeps the machines to that.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { accountMachine, accountMachineWithoutRules } from '../../machines/account.machine.ts';
import { accountV1Machine } from '../../machines/account.v1.machine.ts';
import { itemMachine, itemMachineWithoutRules } from '../../machines/item.v1.machine.ts';
import { itemV2Machine, itemV2MachineWithoutRules } from '../../machines/item.v2.machine.ts';

function* stateNodes(node: AnyStateNode): Generator<AnyStateNode> {
  yield node;
  for (const child of Object.values(node.states)) yield* stateNodes(child);
}

const machines: Array<[string, AnyStateMachine]> = [
  ['item', itemMachine], ['item without rules', itemMachineWithoutRules],
  ['item@2', itemV2Machine], ['item@2 without rules', itemV2MachineWithoutRules],
  ['account', accountMachine], ['account without rules', accountMachineWithoutRules], ['account@1', accountV1Machine],
];

describe('the machines the stepper steps', () => {
  it.each(machines)('%s: every transition has a target or an action', (_name, machine) => {
    const idle: string[] = [];
    let transitions = 0;
    for (const node of stateNodes(machine.root)) {
      for (const [eventType, list] of node.transitions) {
        for (const transition of list) {
          transitions += 1;
          if (transition.target === undefined && transition.actions.length === 0) idle.push(`${node.id} on ${eventType}`);
        }
      }
    }
    expect(transitions).toBeGreaterThan(0);
    expect(idle).toEqual([]);
  });
});
