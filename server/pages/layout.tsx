// The frame of every page: title, navigation for the signed-in key, and one small stylesheet that
// reads on a laptop and a phone. hono/jsx escapes every interpolated text, so nothing an item
// carries can become markup.
import type { Child } from 'hono/jsx';
import type { KeyHolder } from '../../db/access/api-keys.ts';
import { faviconPath } from './favicon.ts';
import { mayOpenAudit } from './page-access.ts';
import { stylesheetPath } from './styles.ts';

export function Layout(props: { title: string; holder?: KeyHolder | undefined; csrf?: string | undefined; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Diarium</title>
        <link rel="stylesheet" href={stylesheetPath} />
        <link rel="icon" href={faviconPath} type="image/svg+xml" />
      </head>
      <body>
        <header>
          <strong>Diarium</strong>
          {props.holder ? (
            <>
              <a href="/">Today</a>
              <a href="/items">Items</a>
              <a href="/accounts">Accounts</a>
              {mayOpenAudit(props.holder.role) ? <a href="/audit">Audit</a> : null}
              <a href="/policy">Policy</a>
              <span>
                {props.holder.orgSlug} · {props.holder.role}
              </span>
              <form method="post" action="/logout">
                <CsrfField token={props.csrf ?? ''} />
                <button type="submit">Sign out</button>
              </form>
            </>
          ) : null}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
