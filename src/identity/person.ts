import type { PersonRole } from '../http/roles'

/**
 * Someone signed in: a local account or a person from the identity provider. `subject` is stable
 * (a local account's UUID, or "issuer|sub" from the provider) and goes into every event they
 * record beside the display name and the role.
 */
export interface Person {
  readonly subject: string
  readonly name: string
  readonly role: PersonRole
  readonly via: 'local' | 'oidc'
}
