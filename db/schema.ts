// Drizzle tables. Instants are ISO 8601 UTC strings (fixed width, so they sort as text).
// Personal content lives only in `contents`; the ledger refers to it by salted hash.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ProfileItem } from '../machines/policy/policy.schema.ts';

export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  preset: text('preset').notNull(),
  policyOverrides: text('policy_overrides', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  /** The policy version in force (policy_versions); 1 until the first change. */
  policyVersion: integer('policy_version').notNull().default(1),
  /** The policy in force, whole; null: the preset with its overrides (an organisation made before policy versions). */
  policy: text('policy', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** The head of this organisation's hash chain: last position and hash. */
  ledgerSeq: integer('ledger_seq').notNull().default(0),
  ledgerHead: text('ledger_head').notNull(),
  /** The ledger's Merkle tree frontier (merkle.ts): JSON array of the perfect subtrees' roots, largest first. */
  ledgerFrontier: text('ledger_frontier').notNull().default('[]'),
  createdAt: text('created_at').notNull(),
});

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull().references(() => organisations.id),
  role: text('role').notNull(),
  /** sha256 of the secret; the secret itself is shown once and never stored. */
  keyHash: text('key_hash').notNull().unique(),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at'),
});

export interface Person { name: string; email?: string | undefined }

export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    platform: text('platform').notNull(),
    handle: text('handle').notNull(),
    url: text('url'),
    purpose: text('purpose'),
    audience: text('audience'),
    ownerUnit: text('owner_unit'),
    responsible: text('responsible', { mode: 'json' }).$type<Person>(),
    substitute: text('substitute', { mode: 'json' }).$type<Person>(),
    admins: text('admins', { mode: 'json' }).notNull().$type<Person[]>(),
    /** The profile checklist (AV-3, AV-10, TI-2, TI-16): what the channel's profile shows. */
    profile: text('profile', { mode: 'json' }).notNull().default({}).$type<Partial<Record<ProfileItem, boolean>>>(),
    /** The monitoring check's bookkeeping: the last local day it has judged (AV-6, TI-2). */
    monitoringCheckedThrough: text('monitoring_checked_through'),
    status: text('status').notNull(),
    machine: text('machine').notNull(),
    state: text('state', { mode: 'json' }).notNull(),
    context: text('context', { mode: 'json' }).notNull(),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('accounts_org_status').on(t.orgId, t.status)],
);

/**
 * The rules items froze from their policy at receipt (machines/item.rules.ts), once per distinct
 * set, by `ref` (item-rules.ts): an item's context names its set instead of holding it, as ~1.2 KB
 * of a ~1.4 KB context are the same for every item received under one policy version and platform.
 * Never changed or deleted: a ref names its text. The ledger keeps each item's rules whole.
 */
export const itemRules = sqliteTable('item_rules', {
  ref: text('ref').primaryKey(),
  rules: text('rules').notNull(),
});

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    externalId: text('external_id').notNull(),
    kind: text('kind').notNull(),
    direction: text('direction').notNull(),
    receivedAt: text('received_at').notNull(),
    machine: text('machine').notNull(),
    status: text('status').notNull(),
    state: text('state', { mode: 'json' }).notNull(),
    context: text('context', { mode: 'json' }).notNull(),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('items_account_external').on(t.accountId, t.externalId),
    index('items_org_id').on(t.orgId, t.id),
    // The account last, so a page by status and account is read off this index alone (issue 21:
    // ~0.2 ms of the page's 51 table rows looked up to test the account, measured); it replaces
    // (org, status, id), which the status-only page and the worklist still use as its prefix.
    index('items_org_status_id_account').on(t.orgId, t.status, t.id, t.accountId),
    index('items_org_account_id').on(t.orgId, t.accountId, t.id),
    // Date ranges of the items page and the audit export, and the items page's received order:
    // with the id, a page after (instant, id) is one seek and ties need no sort.
    index('items_org_received_id').on(t.orgId, t.receivedAt, t.id),
    // The inactivity review's last outbound item and the surge window's recent items, per account.
    index('items_account_direction_received').on(t.accountId, t.direction, t.receivedAt),
  ],
);

export const contents = sqliteTable(
  'contents',
  {
    /** sha256 over salt + canonical body: the value the ledger carries. */
    hash: text('hash').primaryKey(),
    orgId: text('org_id').notNull(),
    itemId: text('item_id').notNull(),
    /** content: the item as received; evidence: a capture before removal; event: free text of an event. */
    role: text('role').notNull(),
    body: text('body', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Random per row, erased with the body, so a hash of short text cannot be confirmed by guessing. */
    salt: text('salt'),
    createdAt: text('created_at').notNull(),
    erasedAt: text('erased_at'),
    erasedReason: text('erased_reason'),
  },
  (t) => [index('contents_item').on(t.itemId)],
);

export const ledgerEvents = sqliteTable(
  'ledger_events',
  {
    orgId: text('org_id').notNull(),
    /** Position in the organisation's chain, from 1 without gaps. */
    orgSeq: integer('org_seq').notNull(),
    subject: text('subject').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Position in the subject's own history, from 1 without gaps; equals the version it produced. */
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorKeyId: text('actor_key_id'),
    actorRole: text('actor_role').notNull(),
    at: text('at').notNull(),
    machine: text('machine').notNull(),
    /** The organisation's policy version the event ran under; null on links written before policy versions. */
    policyVersion: integer('policy_version'),
    fromState: text('from_state', { mode: 'json' }),
    toState: text('to_state', { mode: 'json' }).notNull(),
    payload: text('payload', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.orgSeq] }),
    uniqueIndex('ledger_subject_seq').on(t.subjectId, t.seq),
  ],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    keyId: text('key_id').notNull(),
    key: text('idempotency_key').notNull(),
    /** The item the request was about, so thinning can erase its content from the remembered response. */
    itemId: text('item_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /** Whether the event was applied; a refusal is remembered too, so a retry gets it again. */
    applied: integer('applied', { mode: 'boolean' }).notNull(),
    /** The command's outcome as the write path returned it. */
    body: text('body', { mode: 'json' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.key] }), index('idempotency_keys_item').on(t.itemId)],
);

/** One row per (item, kind): the due instant and what became of it. */
export const deadlines = sqliteTable(
  'deadlines',
  {
    itemId: text('item_id').notNull(),
    kind: text('kind').notNull(),
    orgId: text('org_id').notNull(),
    dueAt: text('due_at').notNull(),
    status: text('status').notNull(),
    openedAt: text('opened_at').notNull(),
    breachedAt: text('breached_at'),
    /** When the obligation ended (met or cancelled); a breached deadline met late stays breached. */
    settledAt: text('settled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.kind] }),
    // With the item id, the sweep's page after (due instant, item) is one index seek, also
    // among many deadlines due at the same instant.
    index('deadlines_status_due_item').on(t.status, t.dueAt, t.itemId),
    index('deadlines_org_status_due').on(t.orgId, t.status, t.dueAt),
    // The items list's overdue filter walks an organisation's unsettled deadlines in item order and
    // tests each here, without the table (db/items/item-page.ts).
    index('deadlines_org_unsettled_item').on(t.orgId, t.itemId, t.status, t.dueAt, t.settledAt).where(sql`settled_at is null`),
  ],
);

/** At most one holder per job across every process on the database. */
export const jobLeases = sqliteTable('job_leases', {
  job: text('job').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: text('expires_at').notNull(),
});

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    /** The instant the job ran as of (the CLI may set it); startedAt/finishedAt are wall time. */
    asOf: text('as_of').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at').notNull(),
    counts: text('counts', { mode: 'json' }).notNull().$type<Record<string, number>>(),
  },
  (t) => [index('job_runs_job').on(t.job, t.startedAt)],
);

/** Every version of an organisation's policy: whole, with its hash, who set it and from when it holds. */
export const policyVersions = sqliteTable(
  'policy_versions',
  {
    orgId: text('org_id').notNull().references(() => organisations.id),
    version: integer('version').notNull(),
    /** The instant the version was accepted: it governs from then on. */
    effectiveFrom: text('effective_from').notNull(),
    policy: text('policy', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    /** sha256 of the policy's canonical JSON, as the chain's POLICY_CHANGED link carries it. */
    hash: text('hash').notNull(),
    changedByKeyId: text('changed_by_key_id'),
    changedByRole: text('changed_by_role').notNull(),
    /** preset name, 'file' or 'api': how the version was given. */
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.version] })],
);

/** AV-14, TI-13: a documented decision for every thinning: when, under which rule, which items. */
export const thinningDecisions = sqliteTable(
  'thinning_decisions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    decidedAt: text('decided_at').notNull(),
    rule: text('rule').notNull(),
    preset: text('preset').notNull(),
    job: text('job').notNull(),
    itemIds: text('item_ids', { mode: 'json' }).notNull().$type<string[]>(),
    reason: text('reason').notNull(),
  },
  (t) => [index('thinning_decisions_org').on(t.orgId, t.decidedAt)],
);

/** AV-6, TI-2: one row per account and local weekday — watched (MONITORED) or missed. */
export const monitoringDays = sqliteTable(
  'monitoring_days',
  {
    accountId: text('account_id').notNull(),
    day: text('day').notNull(),
    status: text('status').notNull().$type<'monitored' | 'missed'>(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);

/** AV-11, TI-12, UP-10, AV-13: uploaded channel snapshots, kept by their sha256. */
export const snapshotFiles = sqliteTable(
  'snapshot_files',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    accountId: text('account_id').notNull(),
    sha256: text('sha256').notNull(),
    format: text('format').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    uploadedAt: text('uploaded_at').notNull(),
  },
  (t) => [uniqueIndex('snapshot_files_account_sha').on(t.accountId, t.sha256)],
);

/** Browser sessions: an API key exchanged for a cookie. Only the token's sha256 is kept. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    keyId: text('key_id').notNull(),
    /** Sent back in every form; a POST without it is refused (CSRF). */
    csrf: text('csrf').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_key').on(t.keyId)],
);

/**
 * The perfect, aligned subtrees of each organisation's ledger Merkle tree (RFC 9162): level 0 is
 * the leaf of the event at chain position index + 1. Written with the events, never changed.
 */
export const ledgerNodes = sqliteTable(
  'ledger_nodes',
  {
    orgId: text('org_id').notNull(),
    level: integer('level').notNull(),
    idx: integer('idx').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.level, t.idx] })],
);

/** Signed tree heads: {org, size, rootHash, at} signed with the Ed25519 key named by LEDGER_SIGNING_KEY. */
export const ledgerCheckpoints = sqliteTable(
  'ledger_checkpoints',
  {
    orgId: text('org_id').notNull().references(() => organisations.id),
    size: integer('size').notNull(),
    rootHash: text('root_hash').notNull(),
    at: text('at').notNull(),
    /** sha256 of the public key (SPKI DER), hex. */
    keyId: text('key_id').notNull(),
    /** The public key, SPKI DER in base64, so a checkpoint kept alone can be checked. */
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.size] })],
);

/** Archive exports (issue 18): one row per package job; the tar lives under EXPORTS_DIR by its id. */
export const exportJobs = sqliteTable(
  'export_jobs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    format: text('format').notNull(),
    fromAt: text('from_at').notNull(),
    toAt: text('to_at').notNull(),
    /** Empty for every channel of the organisation (so the same package has one key). */
    accountId: text('account_id').notNull().default(''),
    status: text('status').notNull().$type<'running' | 'done' | 'failed'>(),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    files: integer('files'),
    bytes: integer('bytes'),
    sha256: text('sha256'),
    validationErrors: text('validation_errors', { mode: 'json' }).notNull().default([]).$type<Array<{ file: string; message: string }>>(),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: text('created_at').notNull(),
    /** Written as the job advances; a running job whose heartbeat stops was interrupted (a restart). */
    heartbeatAt: text('heartbeat_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [
    index('export_jobs_org_created').on(t.orgId, t.createdAt),
    // Two never build the same package at once.
    uniqueIndex('export_jobs_one_running').on(t.orgId, t.format, t.fromAt, t.toAt, t.accountId).where(sql`status = 'running'`),
  ],
);
