// The public channel register as a page people read (TI-3, UP-6, AV-2): one row per active channel,
// with no e-mail addresses. Dates are not shown, so no time zone is involved.
import type { Channel } from '../../db/accounts/channels.ts';
import type { Checkpoint } from '../../db/ledger/checkpoints.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { escapeHtml as escape } from './html.ts';
import { stylesheetPath } from './styles.ts';

const labels = {
  SE: {
    title: 'Officiella kanaler i sociala medier', platform: 'Kanal', purpose: 'Syfte', audience: 'Målgrupp', unit: 'Ansvarig enhet', person: 'Ansvarig', none: 'Inga aktiva kanaler.',
    ledger: 'Diariets kontrollpunkt', size: 'Händelser', root: 'Rothash', signed: 'Signerad', key: 'Nyckel', noCheckpoint: 'Ingen signerad kontrollpunkt ännu.',
  },
  NO: {
    title: 'Offisielle kanaler i sosiale medier', platform: 'Kanal', purpose: 'Formål', audience: 'Målgruppe', unit: 'Ansvarlig enhet', person: 'Ansvarlig', none: 'Ingen aktive kanaler.',
    ledger: 'Journalens kontrollpunkt', size: 'Hendelser', root: 'Rothash', signed: 'Signert', key: 'Nøkkel', noCheckpoint: 'Ingen signert kontrollpunkt ennå.',
  },
  DK: {
    title: 'Officielle kanaler på sociale medier', platform: 'Kanal', purpose: 'Formål', audience: 'Målgruppe', unit: 'Ansvarlig enhed', person: 'Ansvarlig', none: 'Ingen aktive kanaler.',
    ledger: 'Journalens kontrolpunkt', size: 'Hændelser', root: 'Rodhash', signed: 'Signeret', key: 'Nøgle', noCheckpoint: 'Intet signeret kontrolpunkt endnu.',
  },
  FI: {
    title: 'Viralliset sosiaalisen median kanavat', platform: 'Kanava', purpose: 'Tarkoitus', audience: 'Kohderyhmä', unit: 'Vastuuyksikkö', person: 'Vastuuhenkilö', none: 'Ei aktiivisia kanavia.',
    ledger: 'Diaarin tarkistuspiste', size: 'Tapahtumat', root: 'Juurihajautus', signed: 'Allekirjoitettu', key: 'Avain', noCheckpoint: 'Ei vielä allekirjoitettua tarkistuspistettä.',
  },
  IS: {
    title: 'Opinberar rásir á samfélagsmiðlum', platform: 'Rás', purpose: 'Tilgangur', audience: 'Markhópur', unit: 'Ábyrg eining', person: 'Ábyrgðarmaður', none: 'Engar virkar rásir.',
    ledger: 'Eftirlitspunktur skrárinnar', size: 'Atburðir', root: 'Rótartætigildi', signed: 'Undirritað', key: 'Lykill', noCheckpoint: 'Enginn undirritaður eftirlitspunktur enn.',
  },
} as const;

const languages = { SE: 'sv', NO: 'nb', DK: 'da', FI: 'fi', IS: 'is' } as const;

/** The ledger's latest signed checkpoint, shown so that anyone can keep a copy (JSON: /v1/orgs/{slug}/ledger/checkpoint). */
export interface RegisterLedger {
  checkpoint: Checkpoint | null;
  keyId: string | null;
}

export function renderChannelRegister(
  register: { organisation: { slug: string; name: string }; channels: Channel[] }, policy: Policy, ledger: RegisterLedger = { checkpoint: null, keyId: null },
): string {
  const t = labels[policy.country];
  const lang = languages[policy.country];
  const rows = register.channels.map((channel) => {
    // Only http(s) addresses become links (the schema allows no others); the text is escaped either way.
    const address = channel.url
      ? `<a href="${escape(channel.url)}" rel="noopener">${escape(channel.handle)}</a>`
      : escape(channel.handle);
    return `<tr><td>${escape(channel.platform)}: ${address}</td><td>${escape(channel.purpose ?? '')}</td>` +
      `<td>${escape(channel.audience ?? '')}</td><td>${escape(channel.ownerUnit ?? '')}</td>` +
      `<td>${escape(channel.responsible?.name ?? '')}</td></tr>`;
  });
  const table = rows.length === 0
    ? `<p>${t.none}</p>`
    : `<table><thead><tr><th>${t.platform}</th><th>${t.purpose}</th><th>${t.audience}</th><th>${t.unit}</th><th>${t.person}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(register.organisation.name)}: ${t.title}</title>
<link rel="alternate" type="application/json" href="?format=json">
<link rel="stylesheet" href="${stylesheetPath}">
<link rel="icon" href="data:,">
</head><body class="plain"><h1>${escape(register.organisation.name)}</h1><h2>${t.title}</h2>
${table}
${ledgerSection(register.organisation.slug, ledger, t)}</body></html>`;
}

function ledgerSection(slug: string, ledger: RegisterLedger, t: (typeof labels)[keyof typeof labels]): string {
  const cp = ledger.checkpoint;
  const link = `<a href="/v1/orgs/${escape(slug)}/ledger/checkpoint">JSON</a>`;
  if (!cp) return `<section id="ledger-checkpoint"><h2>${t.ledger}</h2><p>${t.noCheckpoint} ${link}</p></section>`;
  return `<section id="ledger-checkpoint"><h2>${t.ledger}</h2><dl>` +
    `<dt>${t.size}</dt><dd>${cp.size}</dd><dt>${t.root}</dt><dd><code>${escape(cp.rootHash)}</code></dd>` +
    `<dt>${t.signed}</dt><dd>${escape(cp.at)}</dd><dt>${t.key} (Ed25519)</dt><dd><code>${escape(cp.keyId)}</code></dd>` +
    `</dl><p>${link}</p></section>`;
}
