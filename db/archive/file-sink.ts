// A file written in pieces that keeps its SHA-256 and size as it goes and waits for the disk when
// the stream's buffer is full, so a package of any size is written in constant memory.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface WrittenFile {
  /** Path inside the package, with forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export class FileSink {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private size = 0;

  private constructor(readonly path: string, absolute: string) {
    this.stream = createWriteStream(absolute);
  }

  static async open(root: string, path: string): Promise<FileSink> {
    const absolute = `${root}/${path}`;
    await mkdir(dirname(absolute), { recursive: true });
    return new FileSink(path, absolute);
  }

  async write(text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<WrittenFile> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return { path: this.path, size: this.size, sha256: this.hash.digest('hex') };
  }
}

/** Writes one whole file (a document, a copied schema) and returns its checksum and size. */
export async function writeWholeFile(root: string, path: string, bytes: string | Uint8Array): Promise<WrittenFile> {
  const sink = await FileSink.open(root, path);
  await sink.write(bytes);
  return sink.close();
}
