// What every `diarium` command shares: its JSON output and the error that means "the caller
// asked for something wrong" (exit 2, no stack), as opposed to a failure of the system.
export class UsageError extends Error {}

export function print(value: unknown) {
  console.log(JSON.stringify(value));
}
