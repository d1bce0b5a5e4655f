// A rule's text for a page: the organisation's own rule of that id, else RULES.md's.
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { ruleText } from './rules-text.ts';

export function ruleTextOf(policy: Pick<Policy, 'rules'>, id: string): string | null {
  return policy.rules.find((rule) => rule.id === id)?.text ?? ruleText(id);
}
