// application/problem+json (RFC 9457): the one shape of every error Diarium answers.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Failure } from '../db/write/outcome.ts';

export interface ProblemExtras {
  errors?: Array<{ path: string; message: string }>;
  allowedEvents?: string[];
  rule?: string;
  [key: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  428: 'Precondition required',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  500: 'Internal error',
  503: 'Service unavailable',
};

export function problemBody(status: number, detail: string, extras: ProblemExtras = {}) {
  return {
    type: `https://diarium.example/problems/${status}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    ...extras,
  };
}

/**
 * The problem response. Typed `never` so a contract-typed handler may return it under any of
 * its declared error statuses: every route declares the Problem schema for those.
 */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, extras: ProblemExtras = {}): never {
  return c.body(JSON.stringify(problemBody(status, detail, extras)), status, {
    'Content-Type': 'application/problem+json',
  }) as never;
}

/** A command's expected failure as its HTTP answer. */
export function failureResponse(c: Context, failure: Failure): never {
  switch (failure.code) {
    case 'not_found':
      return problem(c, 404, failure.detail);
    case 'invalid':
      return problem(c, 400, failure.detail, failure.errors ? { errors: failure.errors } : {});
    case 'not_allowed':
      return problem(c, 409, failure.detail, { allowedEvents: failure.allowed });
    case 'refused':
      return problem(c, 409, failure.detail, { rule: failure.rule, ...(failure.allowed ? { allowedEvents: failure.allowed } : {}) });
    case 'precondition_failed':
      return problem(c, 412, failure.detail, { currentVersion: failure.current });
    case 'idempotency_mismatch':
      return problem(c, 422, failure.detail);
    case 'key_revoked':
      c.header('WWW-Authenticate', 'Bearer realm="diarium"');
      return problem(c, 401, failure.detail);
  }
}

export function zodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
