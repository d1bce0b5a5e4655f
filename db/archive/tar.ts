// POSIX ustar, written and read here: the archives take tar, the format is a 512-byte header per
// entry, and the few lines below stream files of any size without a dependency. Paths longer than
// ustar's 100 bytes use its 155-byte prefix field; nothing here needs pax extensions.
import { open } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { FileSink } from './file-sink.ts';

const block = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  const cut = path.lastIndexOf('/', path.length - 1);
  const prefix = path.slice(0, cut);
  const name = path.slice(cut + 1);
  if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for ustar: ${path}`);
  return { name, prefix };
}

export function tarHeader(path: string, size: number, mtime: Date, type: 'file' | 'directory'): Buffer {
  const header = Buffer.alloc(block);
  const { name, prefix } = splitPath(path);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(type === 'file' ? 0o644 : 0o755, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write(type === 'file' ? '0' : '5', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('diarium', 265, 'ascii');
  header.write('diarium', 297, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Appends a directory entry, then each file under `root` (`paths` are relative, with '/'), then the end blocks. */
export async function writeTar(sink: FileSink, root: string, prefix: string, paths: readonly string[], mtime: Date): Promise<void> {
  const dirs = new Set<string>([prefix]);
  for (const path of paths) {
    const parts = `${prefix}/${path}`.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of [...dirs].sort()) await sink.write(tarHeader(`${dir}/`, 0, mtime, 'directory'));
  const chunk = Buffer.alloc(1 << 20);
  for (const path of paths) {
    const file = await open(join(root, path), 'r');
    try {
      const { size } = await file.stat();
      await sink.write(tarHeader(`${prefix}/${path}`, size, mtime, 'file'));
      let done = 0;
      while (done < size) {
        const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, size - done), done);
        if (bytesRead === 0) throw new Error(`${path} shrank while it was packed`);
        await sink.write(chunk.subarray(0, bytesRead));
        done += bytesRead;
      }
      const pad = (block - (size % block)) % block;
      if (pad) await sink.write(Buffer.alloc(pad));
    } finally {
      await file.close();
    }
  }
  await sink.write(Buffer.alloc(block * 2));
}

export interface TarEntry {
  path: string;
  size: number;
}

export class TarError extends Error {}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** Unpacks a ustar file into `dir`, refusing paths that leave it and headers whose checksum is wrong. */
export async function extractTar(tarPath: string, dir: string): Promise<TarEntry[]> {
  const file = await open(tarPath, 'r');
  const entries: TarEntry[] = [];
  const header = Buffer.alloc(block);
  const chunk = Buffer.alloc(1 << 20);
  try {
    const { size: total } = await file.stat();
    let at = 0;
    for (;;) {
      if (at + block > total) throw new TarError('the tar ends without its end blocks');
      await file.read(header, 0, block, at);
      at += block;
      if (header.every((byte) => byte === 0)) break;
      let sum = 0;
      for (let i = 0; i < block; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
      if (parseInt(field(header, 148, 8).trim(), 8) !== sum) throw new TarError(`a tar header at byte ${at - block} has a wrong checksum`);
      const prefix = field(header, 345, 155);
      const path = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
      const size = parseInt(field(header, 124, 12).trim() || '0', 8);
      const type = String.fromCharCode(header[156]!);
      const target = normalize(join(dir, path));
      if (!target.startsWith(normalize(dir) + sep) && target !== normalize(dir)) throw new TarError(`the tar entry ${path} leaves the package`);
      if (type === '5') {
        await mkdir(target, { recursive: true });
      } else if (type === '0' || type === '\0') {
        if (at + size > total) throw new TarError(`the tar entry ${path} is cut short`);
        await mkdir(dirname(target), { recursive: true });
        const out = await open(target, 'w');
        try {
          let done = 0;
          while (done < size) {
            const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, size - done), at + done);
            await out.write(chunk.subarray(0, bytesRead));
            done += bytesRead;
          }
        } finally {
          await out.close();
        }
        entries.push({ path, size });
      } else {
        throw new TarError(`the tar entry ${path} is of type ${type}; a package holds only files and folders`);
      }
      at += Math.ceil(size / block) * block;
    }
  } finally {
    await file.close();
  }
  return entries;
}
