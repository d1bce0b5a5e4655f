// The frame of every page: title, navigation for the signed-in key, and one small stylesheet that
// reads on a laptop and a phone. hono/jsx escapes every interpolated text, so nothing an item
// carries can become markup.
import type { Child } from 'hono/jsx';
import type { KeyHolder } from '../../db/access/api-keys.ts';

const css = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}
header{background:#12355b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff}header form{margin-left:auto}
main{max-width:72rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem;border-bottom:1px solid #ddd}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#eee;font-size:.85rem}
.bad{background:#fdd}.good{background:#dfd}.warn{background:#ffd}
.error{border:1px solid #c00;background:#fee;padding:.5rem}
form.inline{display:inline}fieldset{margin:.5rem 0}label{display:block;margin:.2rem 0}
input,select,textarea,button{font:inherit}code{word-break:break-all}
@media (max-width:40rem){table,thead,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:2px solid #999}}
`;

export function Layout(props: { title: string; holder?: KeyHolder | undefined; csrf?: string | undefined; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Diarium</title>
        <style>{css}</style>
      </head>
      <body>
        <header>
          <strong>Diarium</strong>
          {props.holder ? (
            <>
              <a href="/">Today</a>
              <a href="/items">Items</a>
              <a href="/accounts">Accounts</a>
              <a href="/audit">Audit</a>
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
