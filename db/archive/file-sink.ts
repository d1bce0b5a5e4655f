// A file written in pieces that keeps its SHA-256 and size as it goes. Each write reaches the file
// before it resolves: nothing is queued, so a caller may reuse its buffer at once and a package of
// any size is written in constant memory (a write stream would hold each chunk until it drains).
import { createHash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface WrittenFile {
  /** Path inside the package, with forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export class FileSink {
  private readonly hash = createHash('sha256');
  private size = 0;

  private constructor(readonly path: string, private readonly file: FileHandle) {}

  static async open(root: string, path: string): Promise<FileSink> {
    const absolute = `${root}/${path}`;
    await mkdir(dirname(absolute), { recursive: true });
    return new FileSink(path, await open(absolute, 'w'));
  }

  async write(text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.size += bytes.length;
    for (let at = 0; at < bytes.length;) at += (await this.file.write(bytes, at)).bytesWritten;
  }

  async close(): Promise<WrittenFile> {
    await this.file.close();
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex') };
  }
}

/** Writes one whole file (a document, a copied schema) and returns its checksum and size. */
export async function writeWholeFile(root: string, path: string, bytes: string | Uint8Array): Promise<WrittenFile> {
  const sink = await FileSink.open(root, path);
  await sink.write(bytes);
  return sink.close();
}
