// The organisation as a package names it: its slug as the record creator's id, its name, and
// the time zone its journal dates are counted in.
import { policyOf, type Organisation } from '../organisations.ts';
import type { ArchiveOrganisation } from './noark5/build-noark5.ts';

export function archiveOrganisation(org: Organisation): ArchiveOrganisation {
  return { id: org.id, slug: org.slug, name: org.name, timeZone: policyOf(org).timeZone };
}
