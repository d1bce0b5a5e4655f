// Which pages a role may open, in one place, so that the navigation and the links of a page
// offer only what the gate lets through: an officer never follows a link into a 403.
export const auditRoles: readonly string[] = ['auditor', 'admin'];

export function mayOpenAudit(role: string): boolean {
  return auditRoles.includes(role);
}
