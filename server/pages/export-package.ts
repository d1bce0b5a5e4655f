// The audit export as a self-contained package: items.json, events.json, thinning-decisions.json,
// one human-readable PDF timeline per item, and manifest.json with every other file's sha256 and
// size. Zipped with fflate; the PDFs are drawn with pdf-lib's standard fonts (no font files).
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
// pdf-lib is loaded when a PDF is made: at start it would hold ~25 MB of the server's RSS for a rare export.
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import type { ExportData, ExportedItem, ExportSelection } from '../../db/items/export.ts';
import type { ChainedEvent } from '../../db/ledger/ledger.ts';
import type { Checkpoint } from '../../db/ledger/checkpoints.ts';
import type { InclusionProof } from '../../db/ledger/proofs.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { localTime } from './format.ts';

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: 'diarium-export/1';
  organisation: { id: string; slug: string; timeZone: string };
  createdAt: string;
  selection: ExportSelection;
  counts: { items: number; events: number; thinningDecisions: number };
  files: ManifestEntry[];
  howToCheck: string[];
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const jsonBytes = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

export async function buildExportPackage(input: {
  data: ExportData;
  org: { id: string; slug: string };
  policy: Policy;
  selection: ExportSelection;
  now: Date;
  /** The latest signed checkpoint and each exported event's inclusion proof in its tree (null: after it). */
  ledger?: { checkpoint: Checkpoint; proofs: Array<InclusionProof | null> } | undefined;
}): Promise<{ zip: Uint8Array; manifest: Manifest }> {
  const { data, policy } = input;
  const files: Record<string, Uint8Array> = {
    'items.json': jsonBytes(data.items),
    'events.json': jsonBytes(data.events),
    'thinning-decisions.json': jsonBytes(data.decisions),
  };
  if (input.ledger) {
    const { checkpoint, proofs } = input.ledger;
    files['ledger-proofs.json'] = jsonBytes({
      checkpoint,
      events: data.events.map((e, i) => ({ orgSeq: e.orgSeq, subjectId: e.subjectId, seq: e.seq, hash: e.hash, proof: proofs[i] ?? null })),
    });
  }
  const eventsOf = new Map<string, ChainedEvent[]>();
  for (const event of data.events) {
    const list = eventsOf.get(event.subjectId) ?? [];
    list.push(event);
    eventsOf.set(event.subjectId, list);
  }
  for (const item of data.items) {
    files[`timeline/${item.id}.pdf`] = await timelinePdf(item, eventsOf.get(item.id) ?? [], policy, input.org.slug);
  }
  const manifest: Manifest = {
    format: 'diarium-export/1',
    organisation: { id: input.org.id, slug: input.org.slug, timeZone: policy.timeZone },
    createdAt: input.now.toISOString(),
    selection: input.selection,
    counts: { items: data.items.length, events: data.events.length, thinningDecisions: data.decisions.length },
    files: Object.entries(files).map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length })),
    howToCheck: [
      'Every file of the package except manifest.json is listed under "files" with its size in bytes and its sha256;',
      'recompute them, e.g. `sha256sum items.json events.json thinning-decisions.json timeline/*.pdf`, and compare.',
      'events.json holds each event\'s ledger link: "hash" is the sha256 of the canonical JSON (keys sorted, no spaces) of',
      '{orgId, orgSeq, subject, subjectId, seq, type, actor: {keyId, role}, at, machine, from, to, payload, prevHash};',
      'an item\'s events chain into the organisation\'s ledger through prevHash (GET /v1/audit/verify checks the whole chain).',
      'An item\'s content is null once it has been thinned; its contentSha256 stays, and thinning-decisions.json documents why.',
      'An item\'s "replies" are the municipality\'s own words on it (answers, messages, notes), kept apart from the ledger:',
      'an event\'s payload carries their salted hash (textSha256, noteSha256); text and note are null once thinned.',
      ...(input.ledger ? [
        'ledger-proofs.json holds the latest signed checkpoint (Ed25519 over canonical JSON of {org, size, rootHash, at}) and, per',
        'event, an RFC 9162 inclusion proof of its leaf SHA-256(0x00 || hash bytes) in that tree; keep the checkpoint and check',
        'the ledger against it later with `diarium verify --checkpoint FILE`.',
      ] : []),
    ],
  };
  files['manifest.json'] = jsonBytes(manifest);
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, [bytes, { mtime: input.now }]])), { level: 6 });
  return { zip, manifest };
}

// ---------------------------------------------------------------------------------------------
// The PDF timeline: A4 pages of plain text lines.

const pageSize: [number, number] = [595.28, 841.89];
const margin = 48;

class TextPdf {
  private page!: PDFPage;
  private y = 0;
  private readonly supported: Set<number>;

  private constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly bold: PDFFont) {
    this.supported = new Set(font.getCharacterSet());
    this.newPage();
  }

  static async create(title: string) {
    const loaded = await import('pdf-lib');
    // From the CLI's bundle a CommonJS package loaded on demand arrives as its exports under `default`.
    const { PDFDocument: Document, StandardFonts } = 'PDFDocument' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default;
    const doc = await Document.create();
    doc.setTitle(title);
    doc.setProducer('Diarium');
    doc.setCreator('Diarium audit export');
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    return new TextPdf(doc, font, bold);
  }

  private newPage() {
    this.page = this.doc.addPage(pageSize);
    this.y = pageSize[1] - margin;
  }

  /** What the standard font can draw: other characters become '?'. */
  private clean(text: string) {
    return [...text.replaceAll('→', '->').replace(/[\r\n\t]+/g, ' ')]
      .map((ch) => (this.supported.has(ch.codePointAt(0)!) ? ch : '?'))
      .join('');
  }

  line(text: string, options: { size?: number; bold?: boolean; indent?: number } = {}) {
    const size = options.size ?? 9;
    const font = options.bold ? this.bold : this.font;
    const indent = options.indent ?? 0;
    const width = pageSize[0] - 2 * margin - indent;
    for (const part of this.wrap(this.clean(text), font, size, width)) {
      if (this.y - size < margin) this.newPage();
      this.y -= size * 1.35;
      this.page.drawText(part, { x: margin + indent, y: this.y, size, font });
    }
  }

  gap(points = 6) {
    this.y -= points;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let rest = text;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut = Math.floor(cut * 0.9);
      while (cut < rest.length && font.widthOfTextAtSize(rest.slice(0, cut + 1), size) <= width) cut += 1;
      const space = rest.lastIndexOf(' ', cut);
      const at = space > cut * 0.6 ? space : cut;
      lines.push(rest.slice(0, at));
      rest = rest.slice(at).trimStart();
    }
    lines.push(rest);
    return lines;
  }

  save() {
    return this.doc.save();
  }
}

const stateText = (value: unknown) => (value == null ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

export async function timelinePdf(item: ExportedItem, events: ChainedEvent[], policy: Policy, orgSlug: string): Promise<Uint8Array> {
  const pdf = await TextPdf.create(`Timeline of item ${item.id}`);
  pdf.line(`Diarium · timeline of item ${item.id}`, { size: 14, bold: true });
  pdf.line(`Organisation ${orgSlug}; times in ${policy.timeZone}`);
  pdf.gap();
  pdf.line(`Account ${item.accountId} · external id ${item.externalId}`);
  pdf.line(`${item.kind}, ${item.direction}, received ${localTime(item.receivedAt, policy)}`);
  pdf.line(`Status ${item.status} (state ${stateText(item.state)}, machine ${item.machine}, version ${item.version})`);
  pdf.line(`Content sha256 ${item.contentSha256}`);
  if (item.content) {
    const text = typeof item.content.text === 'string' ? item.content.text : JSON.stringify(item.content);
    pdf.line(`Content: ${text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text}`);
  } else if (item.thinned) {
    pdf.line(`Content thinned on ${localTime(item.thinned.at, policy)}${item.thinned.reason ? ` under ${item.thinned.reason}` : ''}`);
  } else {
    pdf.line('Content: none stored');
  }
  pdf.gap(10);
  pdf.line(`Events (${events.length})`, { size: 12, bold: true });
  const replies = new Map((item.replies ?? []).map((reply) => [reply.seq, reply]));
  for (const event of events) {
    pdf.gap();
    pdf.line(`#${event.seq} ${event.type} · ${localTime(event.at, policy)} (${event.at})`, { bold: true });
    pdf.line(`Actor: ${event.actor.role}${event.actor.keyId ? ` (key ${event.actor.keyId})` : ''}`, { indent: 12 });
    pdf.line(`State: ${stateText(event.from)} -> ${stateText(event.to)} · machine ${event.machine} · ledger position ${event.orgSeq}`, { indent: 12 });
    const reply = replies.get(event.seq);
    if (reply?.to) pdf.line(`To: ${reply.to}`, { indent: 12 });
    if (reply?.text) pdf.line(`Text: ${reply.text}`, { indent: 12 });
    if (reply?.note) pdf.line(`Note: ${reply.note}`, { indent: 12 });
    if (reply?.erased) pdf.line('Text erased by thinning', { indent: 12 });
    const payload = JSON.stringify(event.payload);
    pdf.line(`Payload: ${payload.length > 1_500 ? `${payload.slice(0, 1_500)}…` : payload}`, { indent: 12, size: 8 });
    pdf.line(`Hash: ${event.hash}`, { indent: 12, size: 8 });
    pdf.line(`Previous hash: ${event.prevHash}`, { indent: 12, size: 8 });
  }
  return pdf.save();
}
