// Bearer API keys and the role gate. A key sees only its own organisation.
import type { Context, MiddlewareHandler } from 'hono';
import { findKeyHolderByHash, type KeyHolder } from '../db/access/api-keys.ts';
import { sha256 } from '../db/ledger/hashing.ts';
import { itemEventRoles, type ActorRole, type ItemV2EventType } from '../machines/item.events.ts';
import type { AppEnv } from './env.ts';
import { problem } from './problem.ts';

// The two writes integrators send in bulk. They check the key's revocation inside their own write
// transaction (checkKey), so the middleware may take the holder from memory: a key's id, role and
// organisation never change, only whether it is revoked. Measured: the look-up was one statement
// per request, more than the rest of a batched step costs.
const batchedWrite = /^\/v1\/items(\/[^/]+\/events)?\/?$/;
const checksKeyInTransaction = (c: Context) => c.req.method === 'POST' && batchedWrite.test(c.req.path);

const maxRemembered = 10_000;

export function createRequireKey(): MiddlewareHandler<AppEnv> {
  const remembered = new Map<string, KeyHolder>();
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
    let holder: KeyHolder | null = null;
    if (match?.[1]) {
      const keyHash = sha256(match[1]);
      holder = (checksKeyInTransaction(c) ? remembered.get(keyHash) : undefined) ?? (await findKeyHolderByHash(c.var.deps.store.db, keyHash));
      if (holder) {
        if (remembered.size >= maxRemembered) remembered.clear();
        remembered.set(keyHash, holder);
      } else {
        remembered.delete(keyHash);
      }
    }
    if (!holder) {
      c.header('WWW-Authenticate', 'Bearer realm="diarium"');
      return problem(c, 401, match ? 'The API key is not valid.' : 'Send an API key: Authorization: Bearer KEY.');
    }
    c.set('holder', holder);
    await next();
  };
}

/** null when the key's role may act; else the 403 answer. */
export function roleRefusal(c: Context<AppEnv>, allowed: readonly string[]) {
  const { role } = c.var.holder;
  if (allowed.includes(role)) return null;
  return problem(c, 403, `The role ${role} may not do this; allowed: ${allowed.join(', ')}.`);
}

export function isItemEventType(type: unknown): type is ItemV2EventType {
  return typeof type === 'string' && Object.hasOwn(itemEventRoles, type);
}

/**
 * null when the role may send the item event; else why not, naming who may. Read from
 * itemEventRoles alone, so an event added there for the system only is refused with no change here.
 */
export function itemEventRefusal(role: ActorRole, type: ItemV2EventType): string | null {
  const allowed = itemEventRoles[type];
  if (allowed.includes(role)) return null;
  const senders = [...allowed.filter((r) => r !== 'system'), ...(allowed.includes('system') ? ['the system'] : [])];
  const who = senders.length === 1 && allowed.includes('system')
    ? 'the system only'
    : senders.length === 1 ? senders[0] : `${senders.slice(0, -1).join(', ')} or ${senders.at(-1)}`;
  return `The role ${role} may not send ${type}: it is sent by ${who}.`;
}
