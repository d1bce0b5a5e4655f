// Validation of a package's XML documents against the official schemas with xmllint-wasm
// (libxml2 compiled to WebAssembly: no system package, same engine as the xmllint command).
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { memoryPages, validateXML } from 'xmllint-wasm';

/**
 * Above this size a document is validated by the xmllint command in streaming mode, where it is
 * installed (libxml2-utils): WebAssembly holds the file, a copy of it and its tree in the
 * process's memory, about 7 times the document (a 28 MB journal of 30,000 items took the export
 * to 400 MB), while the command streams in a process of its own.
 */
export const streamingAboveBytes = 4 * 1024 * 1024;

function xmllintCommand(args: string[]): Promise<{ code: number; stderr: string } | null> {
  return new Promise((resolve) => {
    execFile('xmllint', args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
      else resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

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
  if ((await stat(xmlPath)).size > streamingAboveBytes) {
    const run = await xmllintCommand(['--stream', '--nonet', '--noout', '--schema', join(schemaDir, schema), xmlPath]);
    if (run) {
      if (run.code === 0) return [];
      return run.stderr.split('\n').filter((line) => line && !line.endsWith(' validates')).slice(0, 100)
        .map((line) => ({ file: name, message: line.replace(`${xmlPath}:`, 'line ').trim() }));
    }
  }
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
