// The scheduled jobs, and their registration with node-cron in the server process. Each job is
// a plain function of (deps, now) in its own file; runJob adds the lease and the run row.
import cron, { type ScheduledTask } from 'node-cron';
import { loggableError } from '../db/loggable-error.ts';
import { accountClosing } from './account-closing.ts';
import { accountReview } from './account-review.ts';
import { adminCheck } from './admin-check.ts';
import { checkpoints } from './checkpoints.ts';
import { deadlineSweep } from './deadline-sweep.ts';
import { runJob, type Job, type JobDeps, type JobOutcome } from './job.ts';
import { monitoring } from './monitoring.ts';
import { snapshots } from './snapshots.ts';
import { surge } from './surge.ts';
import { thinning } from './thinning.ts';

/**
 * In run order: breaches are recorded before anything is thinned, and a closing account is
 * closed only after thinning has taken what it could. The account checks follow; checkpoints sign
 * the ledger last, after everything the run wrote.
 */
export const jobs: readonly Job[] = [deadlineSweep, thinning, accountClosing, accountReview, monitoring, snapshots, adminCheck, surge, checkpoints];

export function findJob(name: string): Job | undefined {
  return jobs.find((job) => job.name === name);
}

/** Runs the given jobs once, in order, as of `now` (the CLI's `diarium sweep`, and start-up catch-up). */
export async function runJobs(deps: JobDeps, selected: readonly Job[], now: Date): Promise<Record<string, JobOutcome>> {
  const outcomes: Record<string, JobOutcome> = {};
  for (const job of selected) outcomes[job.name] = await runJob(deps, job, now);
  return outcomes;
}

export function startSchedules(deps: JobDeps, onError: (job: string, error: unknown) => void = logError) {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async ({ date }) => {
        try {
          // As of the tick, not of when this process got to it: every process names the same instant.
          await runJob(deps, job, new Date(Math.floor(date.getTime() / 1000) * 1000));
        } catch (error) {
          onError(job.name, error);
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    stop() {
      for (const task of tasks) void task.stop();
    },
  };
}

function logError(job: string, error: unknown) {
  console.error(`schedule ${job} failed: ${loggableError(error)}`);
}
