// The CITS ERMS Schematron rules (erms_v3.sch) over an erms.xml, with node-schematron (pure JS,
// XPath by fontoxpath): the rules that an XSD cannot state. It builds a DOM of the document, so
// documents above the streaming threshold are not checked here (docs/archive-export.md).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidationIssue } from './validate-xml.ts';

export const ermsRules = 'cits-erms/erms_v3.sch';

/** Above this size a document is not built as a DOM (docs/archive-export.md). */
export const domAboveBytes = 32 * 1024 * 1024;

/** Failed assertions as issues; null when the document is too large to be checked in memory. */
export async function checkSchematron(xmlPath: string, name: string, schemaDir: string, rules = ermsRules): Promise<ValidationIssue[] | null> {
  if ((await stat(xmlPath)).size > domAboveBytes) return null;
  // node-schematron cannot render <emph> inside an assertion's message (it throws when the
  // assertion fails): the markup is dropped, the words and the tests stay as written.
  // Loaded when an archive is checked: at start it would hold ~20 MB of the server's RSS.
  const loaded = await import('node-schematron');
  // From the CLI's bundle a CommonJS package loaded on demand arrives as its exports under `default`.
  const { Schema } = 'Schema' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const schema = Schema.fromString((await readFile(join(schemaDir, rules), 'utf8')).replace(/<\/?emph>/g, ''));
  const results = schema.validateString(await readFile(xmlPath, 'utf8'));
  return results.filter((result) => !result.isReport).map((result) => ({ file: name, message: `Schematron: ${(result.message ?? result.assertId ?? 'an assertion failed').trim()}` }));
}
