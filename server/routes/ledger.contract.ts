// The ledger's checkpoints and proofs over HTTP: the public latest checkpoint, and consistency
// proofs for auditors. Inclusion proofs ride on the item history (?proof=true).
import { createRoute, z } from '@hono/zod-openapi';
import { checkpointSchema } from '../../db/ledger/checkpoints.ts';
import { errorResponses, json } from './schemas.ts';

export const checkpointView = z.object(checkpointSchema.shape).openapi('Checkpoint', {
  description: 'A signed tree head: Ed25519 over canonical JSON of {org, size, rootHash, at} (keys sorted); publicKey is SPKI DER in base64, keyId its sha256',
});

export const inclusionProofView = z
  .object({
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    leafHash: z.string().openapi({ description: 'SHA-256(0x00 || the event\'s hash as 32 bytes)' }),
    path: z.array(z.string()).openapi({ description: 'RFC 9162 §2.1.3 inclusion path, innermost sibling first' }),
  })
  .openapi('InclusionProof');

export const publicCheckpointRoute = createRoute({
  method: 'get',
  path: '/v1/orgs/{slug}/ledger/checkpoint',
  operationId: 'getLedgerCheckpoint',
  tags: ['public'],
  summary: 'The latest signed checkpoint of the organisation\'s ledger and the public key (no key needed)',
  description: 'Keep copies: `diarium verify --checkpoint FILE` proves later that the ledger still extends it.',
  security: [],
  request: { params: z.object({ slug: z.string().min(1).max(63).openapi({ param: { name: 'slug', in: 'path' } }) }) },
  responses: {
    200: json(
      z.object({
        org: z.string(),
        checkpoint: checkpointView.nullable(),
        algorithm: z.literal('Ed25519'),
        publicKey: z.string().nullable().openapi({ description: 'The server\'s current signing key; null when it has none' }),
        keyId: z.string().nullable(),
      }),
      'The latest checkpoint (null before the first) and the signing key',
    ),
    404: errorResponses[404],
  },
});

export const consistencyRoute = createRoute({
  method: 'get',
  path: '/v1/audit/consistency',
  operationId: 'getLedgerConsistency',
  tags: ['audit'],
  summary: 'An RFC 9162 consistency proof between two sizes of the organisation\'s ledger tree (auditor, admin)',
  description: 'The roots of the trees of the first `from` and `to` events and the proof that the second extends the first.',
  request: {
    query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
  },
  responses: {
    200: json(
      z.object({ from: z.number().int(), to: z.number().int(), fromRoot: z.string(), toRoot: z.string(), proof: z.array(z.string()) }),
      'The proof',
    ),
    ...errorResponses,
  },
});
