// The write queue: commands waiting together commit together, and one that throws is rolled
// back alone.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organisations } from '../../db/schema.ts';
import { organisation } from '../helpers/fixtures.ts';
import { tempDb, type TempDb } from '../helpers/temp-db.ts';

describe('the write queue', () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(() => t.cleanup());

  it('commits the good commands of a batch and rejects only the one that throws', async () => {
    const org = await organisation(t.store, 'avesta');
    const rename = (name: string) => t.store.writes.run((tx) => tx.update(organisations).set({ name }).where(eq(organisations.id, org.id)));
    const results = await Promise.allSettled([
      rename('First'),
      t.store.writes.run(async (tx) => {
        await tx.update(organisations).set({ name: 'Doomed' }).where(eq(organisations.id, org.id));
        await tx.insert(organisations).values({ ...org }); // duplicate primary key
      }),
      rename('Last'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [row] = await t.store.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row?.name).toBe('Last');
  });

  it('runs many commands submitted at once, each exactly once, in submission order', async () => {
    const org = await organisation(t.store, 'avesta');
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        t.store.writes.run(async (tx) => {
          seen.push(i);
          await tx.update(organisations).set({ name: `n${i}` }).where(eq(organisations.id, org.id));
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const [row] = await t.store.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row?.name).toBe('n299');
  });
});
