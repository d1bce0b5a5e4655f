// Thinning job (AV-14, TI-13): for each organisation, thin what its policy says has reached
// the end of its temporary value, under one decision record per batch. Idempotent: a thinned
// item is no longer a candidate. Catches up: it takes everything past its cutoff at `now`.
import { policyOf } from '../db/organisations.ts';
import { organisations } from '../db/schema.ts';
import { candidatePage, thinningGrounds, thinUnderDecision } from '../db/items/thinning.ts';
import type { Job } from './job.ts';

const pageSize = 500;

export const thinning: Job = {
  name: 'thinning',
  schedule: '17 * * * *',
  async run({ store }, now) {
    let thinned = 0;
    let decisions = 0;
    for (const org of await store.db.select().from(organisations)) {
      for (const ground of thinningGrounds(policyOf(org), now)) {
        for (let after = ''; ;) {
          const page = await candidatePage(store.db, org.id, ground, after, pageSize);
          if (page.thinnable.length > 0) {
            const decision = await thinUnderDecision(store, { org, ground, itemIds: page.thinnable, job: 'thinning', now });
            if (decision) {
              decisions += 1;
              thinned += decision.itemIds.length;
            }
          }
          if (page.lastId === null) break;
          after = page.lastId;
        }
      }
    }
    return { thinned, decisions };
  },
};
