// /docs: a self-contained page rendered from the OpenAPI document (no CDN, works offline).
type Operation = { summary?: string; requestBody?: unknown; responses?: Record<string, { description?: string }> };
type Document = { info: { title: string; version: string }; paths?: Record<string, Record<string, Operation>> };

import { escapeHtml as escape } from './html.ts';
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
<link rel="icon" href="data:,">
</head><body class="plain"><h1>${escape(doc.info.title)} ${escape(doc.info.version)}</h1>
<p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
<code>application/problem+json</code>. Authenticate with <code>Authorization: Bearer KEY</code>.</p>
${rows.join('\n')}</body></html>`;
}
