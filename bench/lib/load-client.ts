// Runs bench/load.ts in a second process, so the load generator never shares an event loop with
// the orchestrator (and the server has a process of its own). One child serves every run.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from '../load.ts';
import { root } from './server.ts';

let child: ChildProcess | null = null;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return (await runLoads([spec]))[0]!;
}

/** Several loads at the same time, from the one generator process: e.g. one per server. */
export function runLoads(specs: LoadSpec[]): Promise<LoadResult[]> {
  const worker = (child ??= fork(join(root, 'bench', 'load.ts'), [], { cwd: root, execArgv: ['--import', 'tsx'] }));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the load generator exited with ${code}`));
    worker.once('exit', onExit);
    worker.once('message', (message: { results?: LoadResult[]; error?: string }) => {
      worker.off('exit', onExit);
      if (message.results) resolve(message.results);
      else reject(new Error(`load generator: ${message.error}`));
    });
    worker.send(specs);
  });
}

/** The generator's process id, once a load has started it (to count the CPU it spends beside the server's). */
export function loadGeneratorPid(): number | null {
  return child?.pid ?? null;
}

/** Lets the child exit: it lives only as long as its IPC channel. */
export function stopLoad(): void {
  child?.disconnect();
  child = null;
}
