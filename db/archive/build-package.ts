// One archive package from start to finish: refuse without the official schemas, write the
// format's files into a work folder, validate every XML document against its schema, and pack
// the folder into one tar whose SHA-256 and size are kept. Nothing is `done` that did not validate.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Db } from '../client.ts';
import type { ArchiveRange } from './archive-source.ts';
import { FileSink } from './file-sink.ts';
import { buildEark, sipObjectId } from './eark/build-eark.ts';
import { buildNoark5, type ArchiveOrganisation, type BuiltFiles } from './noark5/build-noark5.ts';
import { removeTree } from './remove-tree.ts';
import { checkSchemaFolder, type ArchiveFormat } from './schema-folder.ts';
import { writeTar } from './tar.ts';
import { checkSchematron } from './validate-schematron.ts';
import { validateDocument, type ValidationIssue } from './validate-xml.ts';

export interface PackageInput {
  db: Db;
  org: ArchiveOrganisation;
  format: ArchiveFormat;
  range: ArchiveRange;
  now: Date;
  schemaDir: string | undefined;
  /** A folder of its own for this package's files while it is built; removed afterwards. */
  workDir: string;
  tarPath: string;
  onProgress?: (progress: { phase: 'writing' | 'validating' | 'packing'; done: number; total: number }) => void | Promise<void>;
}

export interface PackageSummary {
  format: ArchiveFormat;
  root: string;
  sha256: string;
  bytes: number;
  files: number;
  counts: BuiltFiles['counts'];
  validation: { ok: true; errors: [] };
}

export type PackageResult =
  | { ok: true; summary: PackageSummary }
  | { ok: false; code: 'no_schemas' | 'empty'; detail: string }
  | { ok: false; code: 'invalid'; detail: string; errors: ValidationIssue[] };

/** The folder a package's files sit in inside its tar: Noark 5's avleveringspakke, an E-ARK SIP's own id. */
export function packageRoot(input: Pick<PackageInput, 'format' | 'org' | 'range' | 'now'>): string {
  return input.format === 'noark5' ? 'avleveringspakke' : sipObjectId(input);
}

export async function buildPackage(input: PackageInput): Promise<PackageResult> {
  const schemas = checkSchemaFolder(input.schemaDir, input.format);
  if (!schemas.ok) return { ok: false, code: 'no_schemas', detail: schemas.detail };
  const dir = join(input.workDir, 'files');
  await removeTree(input.workDir);
  await mkdir(dir, { recursive: true });
  try {
    const build = input.format === 'noark5' ? buildNoark5 : buildEark;
    const built = await build({
      db: input.db, org: input.org, range: input.range, now: input.now, schemaDir: schemas.dir, dir,
      onProgress: (done, total) => input.onProgress?.({ phase: 'writing', done, total }),
    });
    if ('empty' in built) return { ok: false, code: 'empty', detail: 'The period holds no registered or thinned items: there is nothing to deliver.' };

    const errors: ValidationIssue[] = [];
    for (const [n, doc] of built.documents.entries()) {
      await input.onProgress?.({ phase: 'validating', done: n, total: built.documents.length });
      errors.push(...await validateDocument(join(dir, doc.path), doc.path, schemas.dir, doc.schema, doc.imports));
      if (doc.schematron) errors.push(...(await checkSchematron(join(dir, doc.path), doc.path, schemas.dir, doc.schematron)) ?? []);
    }
    if (errors.length > 0) {
      return { ok: false, code: 'invalid', detail: `${errors.length} schema error(s); the package was not made.`, errors: errors.slice(0, 100) };
    }

    await input.onProgress?.({ phase: 'packing', done: 0, total: 1 });
    const root = packageRoot(input);
    const sink = await FileSink.open(dirname(input.tarPath), basename(input.tarPath));
    await writeTar(sink, dir, root, built.files.map((file) => file.path).sort(), input.now);
    const tar = await sink.close();
    return {
      ok: true,
      summary: {
        format: input.format, root, sha256: tar.sha256, bytes: tar.size, files: built.files.length, counts: built.counts,
        validation: { ok: true, errors: [] },
      },
    };
  } finally {
    await removeTree(input.workDir);
  }
}

