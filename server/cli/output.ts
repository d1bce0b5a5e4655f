// What every `diarium` command shares: its JSON output, and the error that means "the caller
// asked for something wrong" (exit 2, no stack) as opposed to a failure of the system. Every
// error leaves as one JSON line on stderr, so a script reads it as it reads the output.
export class UsageError extends Error {
  /** What the caller can do about it, when there is something to say. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

export function print(value: unknown) {
  console.log(JSON.stringify(value));
}

/** One line on stderr: {"error", "database"?, "hint"?, ...}. */
export function printError(error: string, details: Record<string, unknown> = {}) {
  const line: Record<string, unknown> = { error };
  for (const [key, value] of Object.entries(details)) if (value !== undefined) line[key] = value;
  console.error(JSON.stringify(line));
}
