// What every scheduled job is: a plain function of its dependencies and the instant it runs as
// of, returning counts. runJob wraps one run in a lease and records a run row. The lease keeps
// two processes from running a job at once; the run row keeps them from running it twice for
// the same instant (both servers' cron fire for the same tick, one after the other).
import { desc, eq } from 'drizzle-orm';
import type { Store } from '../db/client.ts';
import { newId } from '../db/ids.ts';
import { releaseLease, takeLease } from '../db/schedules/leases.ts';
import { jobRuns } from '../db/schema.ts';
import { randomToken } from '../db/ledger/hashing.ts';

export interface JobDeps {
  store: Store;
  /** Wall time, for leases and run rows; `now` passed to a job is the instant it works as of. */
  clock: () => Date;
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
    const [last] = await deps.store.db
      .select({ asOf: jobRuns.asOf })
      .from(jobRuns)
      .where(eq(jobRuns.job, job.name))
      .orderBy(desc(jobRuns.startedAt))
      .limit(1);
    if (last && last.asOf >= now.toISOString()) return { ran: false, reason: `already ran as of ${last.asOf}` };
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
