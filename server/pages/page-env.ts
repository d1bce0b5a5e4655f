// The Hono environment of the pages: the API's, plus the session's CSRF token for every form.
import type { AppEnv } from '../env.ts';

export type PageEnv = { Variables: AppEnv['Variables'] & { csrf: string; linkSecret: string } };

export const sessionCookie = 'diarium_session';
