// What every scheduled job is: a plain function of its dependencies and the instant it runs as
// of, returning counts. runJob wraps one run in a lease and records a run row. The lease keeps
// two processes from running a job at once. Nothing here skips a run: each job is idempotent on
// its own rows (a deadline's status, a monitoring day, a flag or period in an account's context,
// a thinned item), so a run repeated as of the same instant, or as of an earlier one after a
// later one, records nothing twice — and a run as of a later instant (`diarium sweep --now`)
// never stops the clock-driven runs that follow it.
import type { Store } from '../db/client.ts';
import { newId } from '../db/ids.ts';
import { releaseLease, takeLease } from '../db/schedules/leases.ts';
import { jobRuns } from '../db/schema.ts';
import { randomToken } from '../db/ledger/hashing.ts';
import type { CheckpointSettings } from '../db/ledger/checkpoints.ts';

export interface JobDeps {
  store: Store;
  /** Wall time, for leases and run rows; `now` passed to a job is the instant it works as of. */
  clock: () => Date;
  /** The checkpoint signing key and interval; absent: no key, no checkpoints. */
  checkpoints?: CheckpointSettings | undefined;
}

export interface Job {
  name: string;
  /** node-cron expression for the server process. */
  schedule: string;
  run(deps: JobDeps, now: Date): Promise<Record<string, number>>;
}

export type JobOutcome = { ran: true; counts: Record<string, number> } | { ran: false; reason: string };

/** Long enough for the slowest run; a holder that dies frees the job when it expires. */
const leaseMs = 15 * 60 * 1000;

export async function runJob(deps: JobDeps, job: Job, now: Date): Promise<JobOutcome> {
  const holder = `${process.pid}-${randomToken(6)}`;
  if (!(await takeLease(deps.store, job.name, holder, deps.clock(), leaseMs))) {
    return { ran: false, reason: 'another process holds the lease' };
  }
  try {
    const startedAt = deps.clock().toISOString();
    const counts = await job.run(deps, now);
    const finishedAt = deps.clock();
    await deps.store.writes.run((tx) =>
      tx.insert(jobRuns).values({
        id: newId(finishedAt), job: job.name, asOf: now.toISOString(), startedAt, finishedAt: finishedAt.toISOString(), counts,
      }),
    );
    return { ran: true, counts };
  } finally {
    await releaseLease(deps.store, job.name, holder);
  }
}
