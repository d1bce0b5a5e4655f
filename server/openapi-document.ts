// What the OpenAPI document says about itself: info, servers and the six operation tags. Every
// operation carries a camelCase operationId, exactly one of these tags and a one-line description
// (test/server/openapi-lint.test.ts holds every route to that, and Spectral's spectral:oas to the rest).
export const operationTags = [
  { name: 'items', description: 'Received and published items: ingest, lifecycle events, history, replay and deadlines.' },
  { name: 'accounts', description: 'The organisation\'s official channels: proposal, approval, review, snapshots and closure.' },
  { name: 'audit', description: 'Ledger verification and thinning records for auditors.' },
  { name: 'policy', description: 'The organisation\'s versioned policy: rule texts, windows, registration and thinning rules.' },
  { name: 'exports', description: 'Archive packages (Noark 5, E-ARK SIP) of registered items.' },
  { name: 'public', description: 'Answers anyone may read without a key, such as the public channel register.' },
] as const;

export const documentInfo = {
  openapi: '3.1.0',
  info: {
    title: 'Diarium',
    version: '1.0.0',
    description:
      'Public records from official social-media channels: the lifecycle of every received and published item, the channels ' +
      'themselves, and their hash-chained ledger. Authenticate with `Authorization: Bearer KEY`; errors are application/problem+json.',
    contact: { name: 'Diarium maintainers' },
    license: { name: 'UNLICENSED' },
  },
  // Relative: the document describes the server that serves it, wherever it is deployed.
  servers: [{ url: '/', description: 'The server that serves this document' }],
  tags: [...operationTags],
  security: [{ apiKey: [] }],
};
