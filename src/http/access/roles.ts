import * as t from 'io-ts'

/**
 * Who may do what. finance: record and read; auditor: read everything, history included;
 * dashboard: read units, budget-year summaries and tables only (not the event history).
 */
export const Role = t.keyof({ finance: null, auditor: null, dashboard: null }, 'Role')
export type Role = t.TypeOf<typeof Role>
export const ROLES: ReadonlyArray<Role> = Object.keys(Role.keys) as Role[]

/**
 * The roles a person (a local account or a sign-in through the identity provider) may hold: the
 * token roles, and admin, who manages the people (lists them, revokes them) and nothing else, so
 * whoever hands out roles cannot record or read the budget through that role.
 */
export const PersonRole = t.keyof({ finance: null, auditor: null, dashboard: null, admin: null }, 'PersonRole')
export type PersonRole = t.TypeOf<typeof PersonRole>
export const PERSON_ROLES: ReadonlyArray<PersonRole> = Object.keys(PersonRole.keys) as PersonRole[]

/**
 * What a route needs. 'public' needs no token at all. 'audit': verify and digest (auditors only).
 * 'admin': the people. 'metrics': the server's own figures, for auditors and for the scraper's
 * token (LEDGER_METRICS_TOKEN, metrics-token.ts), which opens nothing else.
 */
export type Access = 'public' | 'read' | 'history' | 'record' | 'audit' | 'admin' | 'metrics'

export const ALLOWED: Record<Exclude<Access, 'public'>, ReadonlyArray<PersonRole>> = {
  read: ['finance', 'auditor', 'dashboard'],
  history: ['finance', 'auditor'],
  record: ['finance'],
  audit: ['auditor'],
  admin: ['admin'],
  metrics: ['auditor'],
}

export const allows = (access: Access, role: PersonRole | null): boolean => access === 'public' || (role !== null && ALLOWED[access].includes(role))
