// The officers' and auditors' pages, served by the same app as the API: sign-in, then every page
// behind the session gate, each showing only the key's organisation and its role's actions.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { maxSnapshotBytes } from '../routes/accounts.contract.ts';
import { accountPagesRouter } from './account.page.tsx';
import { archiveExportRouter } from './archive-export.page.tsx';
import { auditPagesRouter } from './audit.page.tsx';
import { checkpointsPageRouter } from './checkpoints.page.tsx';
import { itemPageRouter } from './item.page.tsx';
import { itemsPageRouter } from './items.page.tsx';
import { policyPageRouter } from './policy.page.tsx';
import { createLoginRouter } from './login.router.tsx';
import type { PageEnv } from './page-env.ts';
import { requireSession } from './session.middleware.ts';
import { createSignInLimiter } from './sign-in-limiter.ts';
import { todayPageRouter } from './today.page.tsx';

/** Forms are small: 64 KiB is far more than any event's fields. */
const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is too large.', 413) });
/** A snapshot upload carries a file of up to the API's limit, plus the form's few fields. */
const uploadLimit = bodyLimit({
  maxSize: maxSnapshotBytes + 64 * 1024, onError: (c) => c.text(`The file is larger than ${maxSnapshotBytes} bytes.`, 413),
});
const snapshotUpload = /^\/accounts\/[^/]+\/snapshots$/;
const limitBody: MiddlewareHandler<PageEnv> = (c, next) =>
  c.req.method === 'POST' && snapshotUpload.test(c.req.path) ? uploadLimit(c, next) : formLimit(c, next);

/** One per app, so that each app (and each test) has its own sign-in limiter. */
export function createPagesRouter() {
  const pages = new Hono<PageEnv>();
  pages.use('/login', formLimit);
  pages.route('/', createLoginRouter(createSignInLimiter()));
  for (const path of ['/', '/items', '/items/*', '/accounts', '/accounts/*', '/audit', '/audit/*', '/policy']) {
    pages.use(path, limitBody, requireSession);
  }
  pages.route('/', todayPageRouter);
  pages.route('/', itemsPageRouter);
  pages.route('/', itemPageRouter);
  pages.route('/', accountPagesRouter);
  pages.route('/', auditPagesRouter);
  pages.route('/', policyPageRouter);
  pages.route('/', checkpointsPageRouter);
  pages.route('/', archiveExportRouter);
  return pages;
}
