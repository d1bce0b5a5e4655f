// The officers' and auditors' pages, served by the same app as the API: sign-in, then every page
// behind the session gate, each showing only the key's organisation and its role's actions.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accountPagesRouter } from './account.page.tsx';
import { auditPagesRouter } from './audit.page.tsx';
import { itemPageRouter } from './item.page.tsx';
import { itemsPageRouter } from './items.page.tsx';
import { loginRouter } from './login.router.tsx';
import type { PageEnv } from './page-env.ts';
import { requireSession } from './session.middleware.ts';
import { todayPageRouter } from './today.page.tsx';

export const pagesRouter = new Hono<PageEnv>();

/** Forms are small: 64 KiB is far more than any event's fields. */
const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is too large.', 413) });

pagesRouter.use('/login', formLimit);
pagesRouter.route('/', loginRouter);
for (const path of ['/', '/items', '/items/*', '/accounts', '/accounts/*', '/audit', '/audit/*']) {
  pagesRouter.use(path, formLimit, requireSession);
}
pagesRouter.route('/', todayPageRouter);
pagesRouter.route('/', itemsPageRouter);
pagesRouter.route('/', itemPageRouter);
pagesRouter.route('/', accountPagesRouter);
pagesRouter.route('/', auditPagesRouter);
