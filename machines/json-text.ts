// A text that stands for a machine context, made once per context object: the memos of the
// steppers key on it (step.ts). A context is never changed in place (XState's assign makes a new
// object), so its text is a function of the object. A step would otherwise stringify the same
// context several times (measured: ~4 % of a transition's CPU). Pure.
const texts = new WeakMap<object, string>();

/** JSON.stringify(context), or the text remembered for the object. */
export function contextText(context: unknown): string {
  if (typeof context !== 'object' || context === null) return JSON.stringify(context);
  let text = texts.get(context);
  if (text === undefined) {
    text = JSON.stringify(context);
    texts.set(context, text);
  }
  return text;
}

/**
 * Remembers `text` as the context's own: any text that names this context and no other, such as
 * the stored text that names a context's frozen rules by their hash (db/items/item-rules.ts).
 * The first text remembered for an object stays.
 */
export function rememberContextText(context: object, text: string): void {
  if (!texts.has(context)) texts.set(context, text);
}
