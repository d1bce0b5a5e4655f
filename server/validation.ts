// The zod validation hook of every route: a 400 problem with the issues and their paths.
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { problem, zodIssues } from './problem.ts';

export function validationHook(
  result: { success: true; data: unknown } | { success: false; error: ZodError; target?: string },
  c: Context,
) {
  if (result.success) return undefined;
  return problem(c, 400, 'The request does not match the contract.', { errors: zodIssues(result.error.issues) });
}
