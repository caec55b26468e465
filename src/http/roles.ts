import * as t from 'io-ts'

/**
 * Who may do what. finance: record and read; auditor: read everything, history included;
 * dashboard: read units, budget-year summaries and tables only (not the event history).
 */
export const Role = t.keyof({ finance: null, auditor: null, dashboard: null }, 'Role')
export type Role = t.TypeOf<typeof Role>
export const ROLES: ReadonlyArray<Role> = Object.keys(Role.keys) as Role[]

/** What a route needs. 'public' needs no token at all. 'audit': verify and digest (auditors only). */
export type Access = 'public' | 'read' | 'history' | 'record' | 'audit'

export const ALLOWED: Record<Exclude<Access, 'public'>, ReadonlyArray<Role>> = {
  read: ['finance', 'auditor', 'dashboard'],
  history: ['finance', 'auditor'],
  record: ['finance'],
  audit: ['auditor'],
}

export const allows = (access: Access, role: Role): boolean => access === 'public' || ALLOWED[access].includes(role)
