// Small, pure helpers for writing XML text by hand: the packages are streamed element by element,
// so no DOM is ever built. No I/O here.

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value, escaped; characters XML 1.0 forbids are dropped rather than written. */
export function esc(value: string | number): string {
  return String(value)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => entities[c]!);
}

/** `<name>value</name>`, or nothing for an absent or empty value (Noark 5 allows no empty elements). */
export function el(name: string, value: string | number | null | undefined, indent = ''): string {
  if (value === null || value === undefined || value === '') return '';
  return `${indent}<${name}>${esc(value)}</${name}>\n`;
}

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
