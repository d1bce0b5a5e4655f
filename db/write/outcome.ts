// The results of commands, as values: expected outcomes are not exceptions (STYLE.md).
import type { RuleId } from '../../machines/policy/policy.schema.ts';

export type Failure =
  | { ok: false; code: 'not_found'; detail: string }
  | { ok: false; code: 'invalid'; detail: string; errors?: Array<{ path: string; message: string }> }
  | { ok: false; code: 'not_allowed'; detail: string; allowed: string[] }
  | { ok: false; code: 'refused'; detail: string; rule: RuleId | string; allowed?: string[] }
  | { ok: false; code: 'precondition_failed'; detail: string; current: number }
  | { ok: false; code: 'idempotency_mismatch'; detail: string }
  | { ok: false; code: 'key_revoked'; detail: string };

export function notFound(what: string): Failure {
  return { ok: false, code: 'not_found', detail: `${what} not found.` };
}

/** The request's key was revoked before its write transaction ran. */
export const keyRevoked: Failure = { ok: false, code: 'key_revoked', detail: 'The API key is not valid.' };
