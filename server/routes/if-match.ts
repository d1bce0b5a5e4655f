// If-Match on every write that names a version: the header's schema, its one parser, its one error.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { problem } from '../problem.ts';

export const ifMatchHeader = z.string().max(100).optional().openapi({ description: 'The version the client saw: "VERSION"' });

/** `"3"`, `3` or `*` (any version) → the version or null; anything else is malformed. */
export function parseIfMatch(header: string | undefined): number | null | 'invalid' {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '*') return null;
  const match = /^"?(\d{1,9})"?$/.exec(value);
  return match?.[1] ? Number(match[1]) : 'invalid';
}

export function malformedIfMatch(c: Context): never {
  return problem(c, 400, 'If-Match must be an entity tag "VERSION" as sent in ETag.', {
    errors: [{ path: 'headers.if-match', message: 'not "VERSION"' }],
  });
}
