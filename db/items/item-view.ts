// The item as API.md shows it, built from its row and its content. Pure over its inputs.
import { deepFreeze } from '../../machines/deep-freeze.ts';
import type { Direction, ItemContext, ItemKind } from '../../machines/item.v1.machine.ts';
import type { Registration } from '../../machines/item.rules.ts';
import type { ItemStatus } from '../../machines/item.step.ts';
import { machineVersion } from '../../machines/registry.ts';
import type { DeadlineView } from './deadlines.ts';
import { contextFromStoredText } from './item-rules.ts';
import type { contents, items } from '../schema.ts';

export type ItemRow = typeof items.$inferSelect;
type ContentRow = typeof contents.$inferSelect;

/** The columns a view shows as they are stored. */
type ViewedColumns = Pick<
  ItemRow,
  'id' | 'accountId' | 'externalId' | 'kind' | 'direction' | 'status' | 'version' | 'machine' | 'receivedAt' | 'contentHash' | 'createdAt' | 'updatedAt'
>;

export function itemView(row: ItemRow, content: ContentRow | null, deadlines: DeadlineView[]) {
  const context = row.context as ItemContext;
  return assemble(row, row.state, allowedEvents(row.machine, row.state, context), contextParts(context), content?.body ?? null, deadlines);
}

export type ItemView = ReturnType<typeof itemView>;

/** What a client could send now, asked of the machine version the item steps under. */
function allowedEvents(machine: string, state: unknown, context: ItemContext): string[] {
  const stepper = machineVersion(machine)?.stepper;
  return stepper ? stepper.allowed(stepper.restore({ value: state, context })) : [];
}

function contextParts(context: ItemContext) {
  return {
    assessment: context.decision
      ? { decision: context.decision, categories: context.categories, registration: context.registration }
      : null,
    registration: context.registered ? { number: context.registered.number, caseRef: context.registered.caseRef } : null,
    hold: context.hold,
    evidenceCaptured: context.evidence,
    // AV-12: what the policy proposes for the item's kind, frozen with its rules (item@2 on).
    proposedRegistration: (context.rules as { proposeByKind?: Record<string, Registration> }).proposeByKind?.[context.kind] ?? null,
  };
}

// The one place that orders a view's fields: the JSON of a view is its contract (API.md). The
// list writes the same members as text in this order (item-page-json.ts; its test compares bytes).
function assemble(
  row: ViewedColumns, state: unknown, allowed: string[], parts: ReturnType<typeof contextParts>,
  body: Record<string, unknown> | null, deadlines: DeadlineView[],
) {
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.externalId,
    kind: row.kind as ItemKind,
    direction: row.direction as Direction,
    status: row.status as ItemStatus,
    state,
    version: row.version,
    machine: row.machine,
    receivedAt: row.receivedAt,
    allowedEvents: allowed,
    deadlines,
    assessment: parts.assessment,
    registration: parts.registration,
    hold: parts.hold,
    evidenceCaptured: parts.evidenceCaptured,
    proposedRegistration: parts.proposedRegistration,
    content: contentOf(body),
    contentSha256: row.contentHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A view's content: its text, author and link, from the stored body; null once thinned. */
export function contentOf(body: Record<string, unknown> | null) {
  return body ? { text: String(body.text), author: body.author, url: typeof body.url === 'string' ? body.url : null } : null;
}

/** An item as the list reads it: the row's columns, with state, context and body as their stored JSON text. */
export interface StoredItem extends ViewedColumns {
  stateJson: string;
  contextJson: string;
  bodyJson: string | null;
  deadlines: DeadlineView[];
}

/**
 * Views of many items, the same as itemView gives one by one. Items of a page often share their
 * state and context (the same stored texts), and parsing the context and restoring the machine
 * cost more than the rest of a view (measured), so that part is worked out once per distinct
 * text. Views may share it; it is frozen, as a view is for reading.
 */
export function itemViews(stored: readonly StoredItem[]): ItemView[] {
  const byState = new Map<string, Map<string, MachineShown>>();
  let last: { item: StoredItem; shown: MachineShown } | null = null;
  return stored.map((item) => {
    // Neighbours mostly share their texts, and comparing with the last costs less than hashing them.
    let shown = last && last.item.contextJson === item.contextJson && last.item.stateJson === item.stateJson && last.item.machine === item.machine
      ? last.shown : undefined;
    if (!shown) {
      const stateKey = `${item.machine}\n${item.stateJson}`;
      let byContext = byState.get(stateKey);
      if (!byContext) byState.set(stateKey, (byContext = new Map()));
      shown = byContext.get(item.contextJson);
      if (!shown) byContext.set(item.contextJson, (shown = machineShown(item.machine, item.stateJson, item.contextJson)));
    }
    last = { item, shown };
    const body = item.bodyJson === null ? null : (JSON.parse(item.bodyJson) as Record<string, unknown> | null);
    return assemble(item, shown.state, shown.allowed, shown.parts, body, item.deadlines);
  });
}

type MachineShown = { state: unknown; allowed: string[]; parts: ReturnType<typeof contextParts> };

/**
 * What a view shows of its machine, as the JSON texts JSON.stringify gives its fields: `state`,
 * `allowedEvents`, and the members from `assessment` to `proposedRegistration` in a view's order
 * (without braces). For the list's JSON page (item-page-json.ts), which writes the rest in SQL.
 */
export interface MachineShownJson { state: string; allowed: string; parts: string }

export function machineShownJson(machine: string, stateJson: string, contextJson: string): MachineShownJson {
  const { state, allowed, parts } = machineShown(machine, stateJson, contextJson);
  const members = {
    assessment: parts.assessment, registration: parts.registration, hold: parts.hold,
    evidenceCaptured: parts.evidenceCaptured, proposedRegistration: parts.proposedRegistration,
  } satisfies Pick<ItemView, keyof ReturnType<typeof contextParts>>;
  return { state: JSON.stringify(state), allowed: JSON.stringify(allowed), parts: JSON.stringify(members).slice(1, -1) };
}

/** `contextJson` as stored: its rules must be loaded (item-rules.ts loadRulesOfTexts). */
function machineShown(machine: string, stateJson: string, contextJson: string): MachineShown {
  // The machine gets a parse of its own (its snapshots are remembered and reused); the frozen one is the views'.
  const allowed = allowedEvents(machine, JSON.parse(stateJson), contextFromStoredText(contextJson) as ItemContext);
  return deepFreeze({ state: JSON.parse(stateJson) as unknown, allowed, parts: contextParts(contextFromStoredText(contextJson) as ItemContext) });
}
