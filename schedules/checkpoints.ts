// Signed checkpoints at an interval: for each organisation whose ledger has grown by
// CHECKPOINT_EVERY_EVENTS since its latest checkpoint, or has grown at all and whose latest is
// CHECKPOINT_EVERY_MINUTES old (or that has none), sign its tree. Without a key it signs nothing.
import { organisations } from '../db/schema.ts';
import { makeCheckpoint } from '../db/ledger/checkpoints.ts';
import type { Job } from './job.ts';

export const checkpoints: Job = {
  name: 'checkpoints',
  schedule: '* * * * *',
  async run({ store, checkpoints: settings }, now) {
    if (!settings?.signer) return { created: 0, withoutKey: 1 };
    let created = 0;
    for (const org of await store.db.select({ id: organisations.id }).from(organisations)) {
      const result = await makeCheckpoint(store, settings, org.id, now, 'due');
      if (result.ok && result.created) created += 1;
    }
    return { created, withoutKey: 0 };
  },
};
