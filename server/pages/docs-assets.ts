// The files /docs needs, all served by this app so the page works offline and under a CSP of
// 'self' only: Swagger UI's bundle and stylesheet from the installed swagger-ui-dist package, and
// the small script that starts it (a served file, since the CSP refuses inline scripts). Swagger
// UI sets styles through the DOM (allowed by style-src 'self'), never with <style> elements.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const swaggerAssetsPath = '/assets/swagger-ui';
export const docsScriptPath = '/assets/docs.js';

// A Map, not an object: a name from the URL such as `__proto__` or `constructor` must find nothing.
const swaggerFiles = new Map([
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['swagger-ui.css', 'text/css; charset=utf-8'],
]);

const loaded = new Map<string, Uint8Array>();

/** A file of swagger-ui-dist by its name, read once; null for any other name. */
export function swaggerAsset(name: string): { body: Uint8Array; type: string } | null {
  const type = swaggerFiles.get(name);
  if (!type) return null;
  let body = loaded.get(name);
  if (!body) {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    loaded.set(name, (body = new Uint8Array(readFileSync(join(dir, name)))));
  }
  return { body, type };
}

/** Starts Swagger UI on /openapi.json once the page has loaded. */
export const docsScript = `'use strict';
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    persistAuthorization: false,
  });
});
`;
