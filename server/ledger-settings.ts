// The checkpoint settings from the environment: LEDGER_SIGNING_KEY (the key file; without it no
// checkpoints are signed), CHECKPOINT_EVERY_EVENTS and CHECKPOINT_EVERY_MINUTES.
import { defaultCheckpointEvery, type CheckpointSettings } from '../db/ledger/checkpoints.ts';
import { loadSigningKey } from '../db/ledger/signing-key.ts';

/** Throws a message naming the variable when one is set wrong. */
export function checkpointSettingsFrom(env: Record<string, string | undefined>): CheckpointSettings {
  const path = env.LEDGER_SIGNING_KEY;
  let signer = null;
  if (path) {
    try {
      signer = loadSigningKey(path);
    } catch (error) {
      throw new TypeError(`LEDGER_SIGNING_KEY names ${path}, which is not a readable Ed25519 key (${(error as Error).message}); make one with "diarium ledger init-key"`);
    }
  }
  return {
    signer,
    everyEvents: whole(env, 'CHECKPOINT_EVERY_EVENTS', defaultCheckpointEvery.events),
    everyMinutes: whole(env, 'CHECKPOINT_EVERY_MINUTES', defaultCheckpointEvery.minutes),
  };
}

function whole(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a whole number, at least 1`);
  return value;
}
