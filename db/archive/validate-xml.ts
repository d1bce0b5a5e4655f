// Validation of a package's XML documents against the official schemas with xmllint-wasm
// (libxml2 compiled to WebAssembly: no system package, same engine as the xmllint command).
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { memoryPages, validateXML } from 'xmllint-wasm';

export interface ValidationIssue {
  file: string;
  message: string;
}

/**
 * Validates `xmlPath` (shown as `name`) against `schema`, with `imports` preloaded beside it
 * (every path relative to `schemaDir`). The file is read whole into WebAssembly memory: libxml2's
 * schema validation there is not incremental, so memory grows with the largest document.
 */
export async function validateDocument(
  xmlPath: string, name: string, schemaDir: string, schema: string, imports: readonly string[] = [],
): Promise<ValidationIssue[]> {
  const xml = await readFile(xmlPath);
  const load = async (file: string) => ({ fileName: basename(file), contents: await readFile(join(schemaDir, file), 'utf8') });
  const pages = Math.min(memoryPages.max, Math.ceil((xml.length * 6) / 65536) + 64 * memoryPages.MiB);
  const result = await validateXML({
    xml: { fileName: basename(name), contents: xml },
    schema: await load(schema),
    preload: await Promise.all(imports.map(load)),
    maxMemoryPages: pages,
  });
  return result.errors.map((error) => ({ file: name, message: error.message.trim() }));
}
