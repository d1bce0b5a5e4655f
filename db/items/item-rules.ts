// An item's context holds the rules it froze from its policy at receipt (machines/item.rules.ts).
// Every item received under one policy version and platform holds the same ~1.2 KB of them, most
// of a ~1.4 KB context, so the items table stores each distinct set once (`item_rules`) and the
// stored context names it: `"rules":"<ref>"`, the ref a hash of the rules' JSON text. Smaller item
// rows are fewer pages for the list to read and less JSON for every step to parse and write.
//
// Code above this module sees contexts whole: the write batch and the readers resolve a stored
// context here before anything reads it, and putItem names a context's rules before it is stored.
// A context stored with its rules inline (a row written before this table) reads as it is.
// The ledger is unchanged: RECEIVED's input and MIGRATED's context carry the rules whole, so
// history and replay never depend on this table.
//
// The sets known to this thread stay in memory: a ref names one text forever, so nothing kept here
// goes stale, and an organisation has a handful of sets (one per policy version and platform).
import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { deepFreeze } from '../../machines/deep-freeze.ts';
import { rememberContextText } from '../../machines/json-text.ts';
import type { Db, Tx } from '../client.ts';
import { itemRules } from '../schema.ts';

interface Named {
  ref: string;
  text: string;
}

const names = new WeakMap<object, Named>();
const byRef = new Map<string, object>();
const storedTexts = new WeakMap<object, string>();

/** The ref of a rules object and its JSON text, worked out once per object; the object becomes the ref's. */
export function nameRules(rules: object): Named {
  let named = names.get(rules);
  if (!named) {
    const text = JSON.stringify(rules);
    named = { ref: createHash('sha256').update(text).digest('hex').slice(0, 32), text };
    names.set(rules, named);
    if (!byRef.has(named.ref)) byRef.set(named.ref, rules);
  }
  return named;
}

/**
 * The text to store for an item's context: JSON.stringify's, with the rules named by their ref.
 * The same text then stands for the context in the steppers' memos (json-text.ts).
 */
export function storedContextText(context: unknown): string {
  if (!isRecord(context) || !isRecord(context.rules)) return JSON.stringify(context);
  let text = storedTexts.get(context);
  if (text === undefined) {
    text = JSON.stringify({ ...context, rules: nameRules(context.rules).ref });
    storedTexts.set(context, text);
    rememberContextText(context, text);
  }
  return text;
}

/** The rules a context names and their text, for storing beside it; null when it holds none. */
export function namedRulesOf(context: unknown): Named | null {
  return isRecord(context) && isRecord(context.rules) ? nameRules(context.rules) : null;
}

/** The ref a stored context names, if it names one. */
export function refIn(stored: unknown): string | null {
  return isRecord(stored) && typeof stored.rules === 'string' ? stored.rules : null;
}

/**
 * A stored context (parsed) made whole with rules this thread knows (loadRules). `text`: the stored
 * text it was parsed from, which then stands for it. Throws when its rules are not known here.
 */
export function wholeContext(stored: unknown, text = isRecord(stored) ? storedTexts.get(stored) : undefined): unknown {
  const ref = refIn(stored);
  if (ref === null) return stored;
  const rules = byRef.get(ref);
  if (!rules) throw new Error(`The rules ${ref} an item names are not loaded.`);
  const context = { ...(stored as Record<string, unknown>), rules };
  if (text !== undefined) {
    storedTexts.set(context, text);
    rememberContextText(context, text);
  }
  return context;
}

/** A stored context's text parsed and made whole (see wholeContext). */
export function contextFromStoredText(text: string): unknown {
  return wholeContext(JSON.parse(text), text);
}

/**
 * A stored context's text parsed, and made whole when this thread knows its rules; else as stored,
 * for wholeContext after loadRules.
 */
export function readStoredContext(text: string): unknown {
  const stored: unknown = JSON.parse(text);
  const ref = refIn(stored);
  if (ref !== null && byRef.has(ref)) return wholeContext(stored, text);
  if (isRecord(stored)) {
    storedTexts.set(stored, text);
    rememberContextText(stored, text);
  }
  return stored;
}

/** Reads the rules of `refs` this thread does not know yet. */
export async function loadRules(db: Db | Tx, refs: Iterable<string>): Promise<void> {
  const missing = [...new Set(refs)].filter((ref) => !byRef.has(ref));
  if (missing.length === 0) return;
  for (const row of await db.select().from(itemRules).where(inArray(itemRules.ref, missing))) {
    if (!byRef.has(row.ref)) {
      const rules = deepFreeze(JSON.parse(row.rules) as object);
      names.set(rules, { ref: row.ref, text: row.rules });
      byRef.set(row.ref, rules);
    }
  }
}

/** Rows as Drizzle reads them, with each context made whole. */
export async function withWholeContexts<T extends { context: unknown }>(db: Db | Tx, rows: T[]): Promise<T[]> {
  await loadRules(db, rows.map((row) => refIn(row.context)).filter((ref) => ref !== null));
  return rows.map((row) => (refIn(row.context) === null ? row : { ...row, context: wholeContext(row.context) }));
}

const refMark = '"rules":"';

/**
 * Loads the rules that stored context texts name. Looked for in the text, not parsed: the mark
 * occurs in JSON.stringify's text only as a member named rules with a string value (a quote inside
 * a string is escaped), and a context has no other such member.
 */
export async function loadRulesOfTexts(db: Db | Tx, texts: Iterable<string>): Promise<void> {
  const refs = new Set<string>();
  for (const text of texts) {
    const at = text.indexOf(refMark);
    if (at >= 0) {
      const ref = text.slice(at + refMark.length, text.indexOf('"', at + refMark.length));
      if (!byRef.has(ref)) refs.add(ref);
    }
  }
  if (refs.size > 0) await loadRules(db, refs);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
