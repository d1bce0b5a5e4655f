// item@2 as the write path and replay use it: its stepper and its start. Pure: no I/O, no clock.
import type { SnapshotFrom } from 'xstate';
import { itemV2ClientEvents } from './item.events.ts';
import { itemV2Effects } from './item.v2.effects.ts';
import { itemV2Machine, itemV2MachineWithoutRules, itemV2Refusal, type ItemV2Input } from './item.v2.machine.ts';
import { createStepper } from './step.ts';

export type ItemV2StepperSnapshot = SnapshotFrom<typeof itemV2Machine>;

export const itemV2Stepper = createStepper({
  machine: itemV2Machine,
  withoutRules: itemV2MachineWithoutRules,
  clientEvents: itemV2ClientEvents,
  refusal: itemV2Refusal,
  effects: itemV2Effects,
});

export function startItemV2(input: ItemV2Input): ItemV2StepperSnapshot {
  return itemV2Stepper.start(input);
}
