// Running the real command and server from tests: `npm start` on a temporary database and
// the `diarium` CLI, with output captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  /** The JSON lines the server printed (admin keys, listening line). */
  lines: Array<Record<string, unknown>>;
  /** Everything the server has written so far, as text. */
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

export interface Launched {
  child: ChildProcess;
  baseUrl: string;
  lines: Array<Record<string, unknown>>;
  output(): { stdout: string; stderr: string };
}

/**
 * `npm start` exactly as the README says, on the given database, in a process group of its own
 * (so a signal to -pid reaches node as well as npm); resolves once it prints its listening line.
 */
export async function launchNpmStart(databaseUrl: string, env: Record<string, string> = {}, startTimeoutMs = 30_000): Promise<Launched> {
  const port = await freePort();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
    let buffer = '';
    child.stdout!.on('data', (chunk) => {
      buffer += String(chunk);
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.listening) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code ?? signal} before listening: ${stderr}`));
    });
  });
  await listening.catch((error: unknown) => {
    // Leave nothing behind when the start fails.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    throw error;
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, lines, output: () => ({ stdout, stderr }) };
}

/** `npm start` on the given database, stopped gracefully; resolves once it listens. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const { child, baseUrl, lines, output } = await launchNpmStart(databaseUrl, env);
  return { baseUrl, lines, output, stop: () => stopGroup(child) };
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `diarium` bin, run as npx would run it. */
export function diarium(args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/diarium.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
