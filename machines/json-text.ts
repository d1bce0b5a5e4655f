// The JSON text of a machine context, made once per context object. A context is never changed in
// place (XState's assign makes a new object), so its text is a function of the object. A step used
// to stringify the same context three times (measured: ~4 % of a transition's CPU): to key the
// stepper's memo on restore, to key it again for the allowed events, and to store it. Pure.
const texts = new WeakMap<object, string>();

/** JSON.stringify(context), remembered for the object. */
export function contextText(context: unknown): string {
  if (typeof context !== 'object' || context === null) return JSON.stringify(context);
  let text = texts.get(context);
  if (text === undefined) {
    text = JSON.stringify(context);
    texts.set(context, text);
  }
  return text;
}

/** A context read as stored text: parsed, with the text remembered as its own. */
export function contextFromText(text: string): unknown {
  const context: unknown = JSON.parse(text);
  if (typeof context === 'object' && context !== null) texts.set(context, text);
  return context;
}
