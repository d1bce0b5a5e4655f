// `npm start` as the README runs it, in its own process group, with a SIGKILL for the whole group:
// the crash proofs (test/long/crash.test.ts) kill the server with no chance to clean up and start
// it again on the same database file. startServer in processes.ts only stops it gracefully.
import { launchNpmStart } from './processes.ts';

export interface CrashableServer {
  baseUrl: string;
  pid: number;
  /** The JSON lines the server printed (admin keys on an empty database, the listening line). */
  lines: Array<Record<string, unknown>>;
  /** What the server wrote on stderr, for the failure message. */
  stderr(): string;
  /** SIGKILL to the whole group (npm, the shell, node): no handler runs, no transaction finishes. */
  kill(): Promise<void>;
  /** SIGTERM to the group: the graceful stop. */
  stop(): Promise<void>;
}

export async function startCrashableServer(databaseUrl: string, env: Record<string, string> = {}): Promise<CrashableServer> {
  const { child, baseUrl, lines, output } = await launchNpmStart(databaseUrl, env, 60_000);
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

  return {
    baseUrl,
    pid,
    lines,
    stderr: () => output().stderr,
    async kill() {
      signalGroup(pid, 'SIGKILL');
      await exited;
      // npm exits when its child dies; node itself must be gone too before the file is reopened.
      await groupGone(pid);
    },
    async stop() {
      signalGroup(pid, 'SIGTERM');
      await exited;
      await groupGone(pid);
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Resolves once no process of the group is left (signal 0 answers ESRCH). */
async function groupGone(pid: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw error;
    }
    if (Date.now() > until) throw new Error(`process group ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
