// Reads the rulebook's tables (RULES.md: "| id | rule | enforced by |") into id → rule text.
// Used by scripts/gen-rules-text.ts to write rules-text.ts, and by the test that keeps the two equal.
const rowPattern = /^\|\s*((?:AV|LI|TI|UP)-\d{1,2})\s*\|(.*)\|([^|]*)\|\s*$/;

export function parseRulesMarkdown(markdown: string): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const line of markdown.split(/\r?\n/)) {
    const match = rowPattern.exec(line);
    if (match) rules[match[1]!] = match[2]!.trim();
  }
  return rules;
}
