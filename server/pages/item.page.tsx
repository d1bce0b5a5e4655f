// the item page: content, statechart, forms, deadlines, timeline, replay (GET /items/:id)
import { Hono } from 'hono';
import type { PageEnv } from './page-env.ts';

export const itemPageRouter = new Hono<PageEnv>();
