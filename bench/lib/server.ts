// The server under test, started the way the README starts it (the command of `npm start`, read
// from package.json) in its own process; each reference server beside it, in one of its own; plus
// the CLI and a few HTTP helpers.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { freshBundle } from '../../bin/bundle-freshness.mjs';

export const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'diarium.mjs');
/** The arguments `npm start` gives node: its V8 flags, the script and `serve`. */
const startArgs = (() => {
  const [command, ...args] = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs "${command}", not node: the bench cannot start the server as it does`);
  return args;
})();

export interface RunningServer {
  url: string;
  pid: number;
  /** The admin keys printed once on first start, by organisation slug. */
  adminKeys: Record<string, string>;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Builds dist/ when a source is newer than it (as `npm install`'s `prepare` script does), so the
 * bench measures the bundle `npm start` runs. bin/diarium.mjs runs a stale bundle's sources
 * through tsx instead, which holds some 40 MB more and answers at another rate.
 */
export function bundled(): void {
  if (freshBundle(root)) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!freshBundle(root)) throw new Error('dist/ is still older than the sources after scripts/build-cli.mjs (is esbuild installed?): the bench would measure the tsx path');
}

/**
 * The server on `dir`'s database; a second call on the same `dir` starts a second process on the
 * same file. `nodeArgs`: e.g. --cpu-prof, to see where the server's time goes (`npm run bench --
 * --profile`). `log`: the name of its stderr file in `dir`, one per process. `env`: more variables.
 */
export async function startServer(
  dir: string, { nodeArgs = [], log = 'server', env: extra = {} }: { nodeArgs?: string[]; log?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  bundled();
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}`, PORT: String(port), HOST: '127.0.0.1',
    SCHEDULES: 'off', RATE_LIMIT: '0', DIARIUM_FROM_SOURCE: '0', ...extra,
  };
  const child = spawn(process.execPath, [...nodeArgs, ...startArgs], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const adminKeys: Record<string, string> = {};
  const url = await listening(child, join(dir, `${log}.stderr.log`), (message) => {
    if (typeof message.key === 'string' && typeof message.org === 'string') adminKeys[message.org] = message.key;
  });
  return { url, pid: child.pid!, adminKeys, env, stop: () => stopProcess(child) };
}

export interface ReferenceServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The reference servers of bench/references/, each `<name>-server.ts` there. */
export type ReferenceName = 'one-transaction' | 'group-commit' | 'http-ceiling';

/**
 * bench/references/<name>-server.ts in a node process of its own, started as the product server
 * is: the V8 flags of `npm start`, its own port, one {"listening"} line, SIGTERM stops it. The
 * servers that write get a database file of their own in `dir`, never the product's.
 */
export async function startReference(dir: string, name: ReferenceName): Promise<ReferenceServer> {
  const port = await freePort();
  const env = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1',
    ...(name !== 'http-ceiling' ? { DATABASE_URL: `file:${join(dir, `${name}.db`)}` } : {}),
  };
  const v8Flags = startArgs.filter((arg) => arg.startsWith('--'));
  const child = spawn(process.execPath, [...v8Flags, '--import', 'tsx', join(root, 'bench', 'references', `${name}-server.ts`)], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listening(child, join(dir, `${name}.stderr.log`));
  return { url, pid: child.pid!, stop: () => stopProcess(child) };
}

/** Resolves with the URL of the child's {"listening"} line; its stderr goes to `logFile`. */
function listening(child: ChildProcess, logFile: string, onLine: (message: Record<string, unknown>) => void = () => {}) {
  child.stderr!.pipe(createWriteStream(logFile));
  return new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${logFile.replace(/\.stderr\.log$/, '')} exited with ${code}; see ${logFile}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = parseJson(line);
      if (!message) return;
      onLine(message);
      if (typeof message.listening === 'string') resolve(message.listening);
    });
  });
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** `diarium …` against the server's database, JSON out. */
export async function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

export async function http(url: string, key: string | null, method: string, path: string, body?: unknown) {
  const send = () => fetch(`${url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  // After a phase that keeps the server idle (verification runs in this process), fetch may reuse a
  // keep-alive socket the server has just closed; the request never reached it, so send it again.
  const response = await send().catch((error: { cause?: { code?: string } }) => {
    if (error.cause?.code === 'UND_ERR_SOCKET') return send();
    throw error;
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The resident set of a process, from /proc (Linux), in MB. */
export function rssMB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Samples the RSS of processes while `work` runs; returns the work's value and the highest peak
 * of any one of them (a process's threads count in its RSS: they share its memory).
 */
export async function withPeakRss<T>(pids: number | number[], work: () => Promise<T>): Promise<{ value: T; peakMB: number }> {
  const all = Array.isArray(pids) ? pids : [pids];
  let peakMB = 0;
  const sample = () => {
    for (const pid of all) peakMB = Math.max(peakMB, rssMB(pid));
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const value = await work();
    sample();
    return { value, peakMB };
  } finally {
    clearInterval(timer);
  }
}

function parseJson(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}
