// What the item page needs of each item machine version: its chart, its chart without the rule
// guards, its event schemas and decisions, and the rule that refuses an event there. Looked up by
// the version id an item's row records; no other layer of the page lists versions.
import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import { decisions, decisionsV2, itemEventSchemas, itemV2EventSchemas, type ItemV2EventType } from '../../machines/item.events.ts';
import { answerRefusal, notifyAuthorRefusal, thinRefusal, unpublishRefusal, type Refusal } from '../../machines/item.rules.ts';
import { itemMachine, itemMachineVersion, itemMachineWithoutRules, type ItemContext } from '../../machines/item.v1.machine.ts';
import {
  itemV2Machine, itemV2MachineWithoutRules, itemV2Refusal, itemV2Version, type ItemV2Context, type ItemV2MachineEvent,
} from '../../machines/item.v2.machine.ts';

export interface ItemPageVersion {
  id: string;
  machine: AnyStateMachine;
  withoutRules: AnyStateMachine;
  /** The event schemas of this version: a form is checked against these only. */
  schemas: Partial<Record<ItemV2EventType, z.ZodType>>;
  decisions: readonly string[];
  /** Whether ASSESS of an own post carries the outbound checks (AV-4, LI-1, LI-6, UP-7). */
  outboundChecks: boolean;
  /** The rule that refuses a bare event of this type in this context, if one does. */
  refusal(context: unknown, type: ItemV2EventType): Refusal | null;
}

const v1Refusals: Partial<Record<ItemV2EventType, (context: ItemContext) => Refusal | null>> = {
  ANSWER: answerRefusal,
  NOTIFY_AUTHOR: notifyAuthorRefusal,
  UNPUBLISH: unpublishRefusal,
  THIN: thinRefusal,
};

const versions: Readonly<Record<string, ItemPageVersion>> = {
  [itemMachineVersion]: {
    id: itemMachineVersion,
    machine: itemMachine,
    withoutRules: itemMachineWithoutRules,
    schemas: itemEventSchemas,
    decisions,
    outboundChecks: false,
    refusal: (context, type) => v1Refusals[type]?.(context as ItemContext) ?? null,
  },
  [itemV2Version]: {
    id: itemV2Version,
    machine: itemV2Machine,
    withoutRules: itemV2MachineWithoutRules,
    schemas: itemV2EventSchemas,
    decisions: decisionsV2,
    outboundChecks: true,
    refusal: (context, type) => itemV2Refusal(context as ItemV2Context, { type } as ItemV2MachineEvent),
  },
};

/** The page's view of a version; undefined for an id no release of the page knows. */
export function itemPageVersion(id: string): ItemPageVersion | undefined {
  return Object.hasOwn(versions, id) ? versions[id] : undefined;
}
