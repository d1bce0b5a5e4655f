// /docs: Swagger UI over /openapi.json (request bodies, examples, responses, schemas), served
// from this app (no CDN, works offline). Until the script runs, and without scripts, the page
// lists every operation with its responses, rendered here from the same document.
type Operation = { summary?: string; requestBody?: unknown; responses?: Record<string, { description?: string }> };
type Document = { info: { title: string; version: string }; paths?: Record<string, Record<string, Operation>> };

import { escapeHtml as escape } from './html.ts';
import { docsScriptPath, swaggerAssetsPath } from './docs-assets.ts';
import { faviconPath } from './favicon.ts';
import { stylesheetPath } from './styles.ts';


export function renderDocsPage(doc: Document): string {
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const statuses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><code>${escape(status)}</code> ${escape(r.description ?? '')}</li>`)
        .join('');
      return `<section class="operation"><h2><code>${escape(method.toUpperCase())} ${escape(path)}</code></h2>
<p>${escape(op.summary ?? '')}</p><ul>${statuses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} API</title>
<link rel="stylesheet" href="${stylesheetPath}">
<link rel="stylesheet" href="${swaggerAssetsPath}/swagger-ui.css">
<link rel="icon" href="${faviconPath}" type="image/svg+xml">
<script src="${swaggerAssetsPath}/swagger-ui-bundle.js" defer></script>
<script src="${docsScriptPath}" defer></script>
</head><body class="plain docs"><h1>${escape(doc.info.title)} ${escape(doc.info.version)}</h1>
<p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
<code>application/problem+json</code>. Authenticate with <code>Authorization: Bearer KEY</code>.</p>
<div id="swagger-ui">${rows.join('\n')}</div></body></html>`;
}
