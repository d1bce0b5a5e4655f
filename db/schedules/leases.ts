// Job leases: a row per job naming its holder until an expiry, so that several server
// processes on one database never run the same job at once. Taken and released through the
// write queue, whose transactions hold the write lock from their start (write-lock.ts), so two
// processes cannot both see the lease free.
import { and, eq, sql } from 'drizzle-orm';
import type { Store } from '../client.ts';
import { jobLeases } from '../schema.ts';

export async function takeLease(store: Store, job: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  return store.writes.run(async (tx) => {
    const taken = await tx
      .insert(jobLeases)
      .values({ job, holder, expiresAt })
      .onConflictDoUpdate({
        target: jobLeases.job,
        set: { holder, expiresAt },
        // A lease is free when it has expired (its holder died) or is already ours.
        setWhere: sql`${jobLeases.expiresAt} <= ${at} or ${jobLeases.holder} = ${holder}`,
      });
    return taken.rowsAffected === 1;
  });
}

export async function releaseLease(store: Store, job: string, holder: string): Promise<void> {
  await store.writes.run((tx) => tx.delete(jobLeases).where(and(eq(jobLeases.job, job), eq(jobLeases.holder, holder))));
}
