// What an internal error may put in a log. Never its message as is: a failed query's message
// (Drizzle's "Failed query: … params: …") carries every bound value, and those are item text,
// authors' names and e-mail addresses. Logged instead: the error's kind, the SQL text without
// its parameters, the driver's error code and message (SQLite's name tables and constraints,
// not values), and the stack frames.
export function loggableError(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (!(e instanceof Error)) {
      lines.push(`thrown: ${typeof e}`);
      break;
    }
    const query = (e as { query?: unknown }).query;
    const code = (e as { code?: unknown }).code;
    if (typeof query === 'string') lines.push(`${e.name}: failed query: ${query}`);
    else if (typeof code === 'string' && /^SQLITE_/.test(code)) lines.push(`${e.name} ${code}: ${e.message}`);
    else lines.push(`${e.name}${typeof code === 'string' ? ` ${code}` : ''}`);
    lines.push(...(e.stack ?? '').split('\n').filter((line) => line.startsWith('    at ')));
  }
  return lines.join('\n');
}
