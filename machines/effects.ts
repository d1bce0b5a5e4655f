// What an accepted step asks of the world beyond its own snapshot, as data. Each machine version
// says which effects its events have; db/ applies them without knowing event types. Pure.
import type { DeadlineKind } from './item.deadlines.ts';

export type Effect =
  /** A deadline of the item opens (due from the policy's window), is met, breached or cancelled. */
  | { type: 'deadline'; kind: DeadlineKind; change: 'open' | 'meet' | 'breach' | 'cancel' }
  /**
   * Personal free text of the event is kept in the content store, apart from the ledger; the
   * ledger payload carries `${field}Sha256` in its place. `text` is the value itself.
   */
  | { type: 'store-apart'; field: string; text: unknown }
  /** AV-7: the item's content and author, as they stand now, are saved as evidence (`evidenceSha256`). */
  | { type: 'capture-evidence' }
  /** The item's personal content is erased, and why (thinning). */
  | { type: 'erase-content'; reason: string }
  /** A thinning decision record names this item: under which rule, and why. */
  | { type: 'thinning-decision'; rule: string; reason: string }
  /** AV-6, TI-2: an account's channel counts as watched on this local day. */
  | { type: 'monitored-day'; day: string };

export type EffectType = Effect['type'];
