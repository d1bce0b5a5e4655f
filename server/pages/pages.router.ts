// The officers' and auditors' pages, served by the same app as the API: sign-in, then every page
// behind the session gate, each showing only the key's organisation and its role's actions.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accountPagesRouter } from './account.page.tsx';
import { archiveExportRouter } from './archive-export.page.tsx';
import { auditPagesRouter } from './audit.page.tsx';
import { itemPageRouter } from './item.page.tsx';
import { itemsPageRouter } from './items.page.tsx';
import { createLoginRouter } from './login.router.tsx';
import type { PageEnv } from './page-env.ts';
import { requireSession } from './session.middleware.ts';
import { createSignInLimiter } from './sign-in-limiter.ts';
import { todayPageRouter } from './today.page.tsx';

/** Forms are small: 64 KiB is far more than any event's fields. */
const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is too large.', 413) });

/** One per app, so that each app (and each test) has its own sign-in limiter. */
export function createPagesRouter() {
  const pages = new Hono<PageEnv>();
  pages.use('/login', formLimit);
  pages.route('/', createLoginRouter(createSignInLimiter()));
  for (const path of ['/', '/items', '/items/*', '/accounts', '/accounts/*', '/audit', '/audit/*']) {
    pages.use(path, formLimit, requireSession);
  }
  pages.route('/', todayPageRouter);
  pages.route('/', itemsPageRouter);
  pages.route('/', itemPageRouter);
  pages.route('/', accountPagesRouter);
  pages.route('/', auditPagesRouter);
  pages.route('/', archiveExportRouter);
  return pages;
}
