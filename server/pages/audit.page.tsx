// the audit pages: verification, thinning decisions, export (GET /audit…)
import { Hono } from 'hono';
import type { PageEnv } from './page-env.ts';

export const auditPagesRouter = new Hono<PageEnv>();
