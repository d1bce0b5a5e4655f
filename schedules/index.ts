// Registers the scheduled jobs with node-cron in the server process. Each job is a plain
// function of the clock's now; the jobs themselves (deadline sweep, thinning, reviews) live
// in their own files beside this one and arrive with the time and channel issues.
import cron, { type ScheduledTask } from 'node-cron';

export interface ScheduledJob {
  name: string;
  /** A cron expression, e.g. "*\/5 * * * *". */
  schedule: string;
  run(): Promise<unknown>;
}

export function startSchedules(jobs: readonly ScheduledJob[], onError: (job: string, error: unknown) => void = logError) {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run();
        } catch (error) {
          onError(job.name, error);
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    tasks,
    stop() {
      for (const task of tasks) void task.stop();
    },
  };
}

function logError(job: string, error: unknown) {
  console.error(`schedule ${job} failed:`, error);
}
