import type { PersonRole } from '../../http/access/roles'

/**
 * Someone signed in: a local account or a person from the identity provider. `subject` is stable
 * (a local account's UUID, or "issuer|sub" from the provider) and goes into every event they
 * record beside the display name and the role.
 */
export interface Person {
  readonly subject: string
  readonly name: string
  /** null: signed in through the identity provider without a ledger role; refused everything. */
  readonly role: PersonRole | null
  readonly via: 'local' | 'oidc'
}
