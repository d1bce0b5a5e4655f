// The period of an export, checked once for the CLI and HTTP alike: two ISO 8601 instants with an
// offset, `from` before `to`, returned as UTC text that sorts with the stored instants.
export type RangeCheck = { ok: true; from: string; to: string } | { ok: false; detail: string };

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function checkRange(from: string | undefined, to: string | undefined): RangeCheck {
  if (!from || !to || !instant.test(from) || !instant.test(to)) {
    return { ok: false, detail: 'from and to must be ISO 8601 instants with an offset, e.g. 2026-01-01T00:00:00Z' };
  }
  const [a, b] = [new Date(from), new Date(to)];
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return { ok: false, detail: 'from or to is not a real instant' };
  if (a >= b) return { ok: false, detail: 'from must be before to' };
  return { ok: true, from: a.toISOString(), to: b.toISOString() };
}
