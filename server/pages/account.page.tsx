// the accounts pages (GET /accounts, /accounts/:id)
import { Hono } from 'hono';
import type { PageEnv } from './page-env.ts';

export const accountPagesRouter = new Hono<PageEnv>();
