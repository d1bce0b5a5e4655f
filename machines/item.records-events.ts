// Which item events close the records side, for readers of a history outside the charts (the
// archive export dates a registration and a disposal by them). The charts stay the only place
// that knows what an event means.
export const registeringEvents: ReadonlySet<string> = new Set(['REGISTER']);
export const thinningEvents: ReadonlySet<string> = new Set(['THIN']);
