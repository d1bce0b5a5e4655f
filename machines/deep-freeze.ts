// Freezes a value and everything it holds, for objects shared by many readers (an item's frozen
// rules, a view's machine part): a change in place would change them for all, so none may happen. Pure.
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
