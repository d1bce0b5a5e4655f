// The ledger as verification reads it: a page of one organisation's chain in one statement
// (read row by row through Drizzle and the libSQL client, decoding the rows cost more than
// checking them), and the check of a stored link's hash.
import type { Db } from '../client.ts';
import { sha256 } from './hashing.ts';
import { eventHash, linkText, type ChainedEvent } from './ledger.ts';

/** A link's columns other than its JSON ones. */
export type LinkColumns = [
  orgSeq: number, subject: string, subjectId: string, seq: number, type: string, actorKeyId: string | null, actorRole: string,
  at: string, machine: string, prevHash: string, hash: string, policyVersion: number | null,
];

/** Links in chain order: `links[i]` with its JSON columns `from[i]`, `to[i]`, `payload[i]` as stored. */
export interface LinkPage {
  links: LinkColumns[];
  from: unknown[];
  to: unknown[];
  payload: unknown[];
}

const columns = ['org_seq', 'subject', 'subject_id', 'seq', 'type', 'actor_key_id', 'actor_role', 'at', 'machine', 'prev_hash', 'hash', 'policy_version'];
const chain = 'select * from ledger_events where org_id = ? and org_seq > ? order by org_seq limit ?';
// The JSON texts come as lists joined by the control character RS, which JSON text never holds raw
// (SQLite's escaping of them into JSON, and the parse back, cost more than the rest of the read).
// A NULL from_state hashes as `null`. The aggregates take the rows in the order of the ordered
// subquery; readLinks checks the order.
const pageSql = `select json_group_array(json_array(${columns.join(', ')})),
  group_concat(ifnull(from_state, 'null'), char(30)), group_concat(to_state, char(30)), group_concat(payload, char(30)),
  min(typeof(from_state) in ('text', 'null') and typeof(to_state) = 'text' and typeof(payload) = 'text')
  from (${chain})`;
// For a page the one above cannot carry: a BLOB (JSON cannot hold one; as {} it fails every
// comparison and hash, as it did read through Drizzle), a JSON column that is not text, or an RS
// in a text. This page also orders its elements itself.
const blobSafe = (name: string) => `iif(typeof(${name}) = 'blob', json_object(), ${name})`;
const carefulPageSql = `select json_group_array(json_array(${[...columns, 'from_state', 'to_state', 'payload'].map(blobSafe).join(', ')})
  order by org_seq) from (${chain})`;

/** Up to `limit` links of the organisation's chain after position `after`, in chain order. */
export async function readLinks(db: Db, orgId: string, after: number, limit: number): Promise<LinkPage> {
  const args = [orgId, after, limit];
  let page: LinkPage | null = null;
  try {
    const { rows: [row] } = await db.$client.execute({ sql: pageSql, args });
    const list = (i: number) => (row![i] === null ? [] : (row![i] as string).split('\x1e'));
    page = { links: JSON.parse(row![0] as string), from: list(1), to: list(2), payload: list(3) };
    if (page.links.length > 0 && row![4] !== 1) page = null;
  } catch (error) {
    if (!String(error).includes('BLOB')) throw error;
  }
  if (page && carried(page)) return page;
  const { rows: [row] } = await db.$client.execute({ sql: carefulPageSql, args });
  const rows = JSON.parse(row![0] as string) as unknown[][];
  return {
    links: rows.map((r) => r.slice(0, 12) as LinkColumns),
    from: rows.map((r) => r[12]),
    to: rows.map((r) => r[13]),
    payload: rows.map((r) => r[14]),
  };
}

/** One JSON text per link in each list, and chain positions that are numbers rising from link to link. */
function carried({ links, from, to, payload }: LinkPage): boolean {
  if (from.length !== links.length || to.length !== links.length || payload.length !== links.length) return false;
  let last = -Infinity;
  for (const [orgSeq] of links) {
    if (typeof orgSeq !== 'number' || !(orgSeq > last)) return false;
    last = orgSeq;
  }
  return true;
}

/** Whether the stored hash of the page's link `i` is the hash of the link as stored. */
export function hashMatches(orgId: string, page: LinkPage, i: number): boolean {
  const [orgSeq, subject, subjectId, seq, type, keyId, role, at, machine, prevHash, hash, policyVersion] = page.links[i]!;
  const [from, to, payload] = [page.from[i], page.to[i], page.payload[i]];
  const event = {
    orgId, orgSeq, subject: subject as ChainedEvent['subject'], subjectId, seq, type, actor: { keyId, role }, at, machine, prevHash, policyVersion,
  };
  // Written since the ledger stores canonical texts: the hashed text is the stored texts put together.
  if (typeof from === 'string' && typeof to === 'string' && typeof payload === 'string') {
    if (sha256(linkText(event, { from, to, payload })) === hash && inPlace(from) && inPlace(to) && inPlace(payload)) return true;
  }
  // Written before, or edited: hash the parsed values, as the write path hashed them then.
  try {
    return eventHash({ ...event, from: parseColumn(from), to: parseColumn(to), payload: parseColumn(payload) as never }) === hash;
  } catch {
    return false; // a JSON column that holds no JSON was edited
  }
}

/** A JSON column's value as Drizzle reads it: NULL stays null, a number or a text is parsed, a BLOB throws. */
function parseColumn(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error('not JSON text');
  return JSON.parse(String(value));
}

/**
 * Whether a stored text that hashed right sits where the original value sat in the hashed text.
 * A text that is not one whole JSON value could move the boundaries around it: `{"a":1` with the
 * rest of the original carried by the fields that follow. It cannot if no stored text holds one of
 * the keys that delimit the three texts: the other pieces (quoted strings, numbers, the fixed
 * keys) cannot hold them either, so the rebuilt text holds each of these keys exactly once, as the
 * original held each once at its top level; where the two texts are equal, the keys, and so the
 * texts between them, are where the original had them. A text that holds one (a nested "type",
 * say) is parsed instead. The regular expression costs a tenth of a parse.
 */
function inPlace(text: string): boolean {
  return !delimitingKey.test(text) || isJson(text);
}

const delimitingKey = /"(?:from|machine|payload|policyVersion|prevHash|to|type)":/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
