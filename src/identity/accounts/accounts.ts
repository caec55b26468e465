import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { Bounded } from '../../domain/codecs/primitives'
import { PersonRole } from '../../http/access/roles'

/**
 * Named local accounts: people who sign in with a name and password where there is no identity
 * provider. Pure: the list in, a new list (or why not) out; account-file.ts keeps it.
 */
export const AccountName = Bounded(1, 100, 'a name (1 to 100 characters)')

export const Account = t.type(
  {
    /** Stable subject id (a random UUID): events name it, so a renamed or re-created person stays apart. */
    id: t.string,
    name: AccountName,
    role: PersonRole,
    /** scrypt hash (password.ts); never the password. */
    password: t.string,
    created: t.string,
    /** When revoked (ISO time), else null: kept, so the audit trail's subject ids stay explained. */
    revoked: t.union([t.string, t.null]),
  },
  'Account',
)
export type Account = t.TypeOf<typeof Account>
export const Accounts = t.array(Account)

export const isActive = (a: Account): boolean => a.revoked === null

/** The active account of this name or id, else any account with that id (a revoked one). */
export const findAccount = (accounts: ReadonlyArray<Account>, nameOrId: string): Account | undefined =>
  accounts.find((a) => isActive(a) && (a.id === nameOrId || a.name === nameOrId)) ?? accounts.find((a) => a.id === nameOrId)

export interface NewAccount {
  readonly id: string
  readonly name: string
  readonly role: PersonRole
  readonly password: string
  readonly created: string
}

/** Adds an account; refused when an active one already has the name (sign-in goes by name). */
export const addAccount = (accounts: ReadonlyArray<Account>, next: NewAccount): E.Either<string, Account[]> => {
  const name = next.name.trim()
  if (accounts.some((a) => isActive(a) && a.name === name)) return E.left(`name: an active account is already called "${name}"; revoke it first or choose another name`)
  if (accounts.some((a) => a.id === next.id)) return E.left(`id: ${next.id} is already taken`)
  return E.right([...accounts, { ...next, name, revoked: null }])
}

/** Revokes the active account of this name or id. */
export const revokeAccount = (accounts: ReadonlyArray<Account>, nameOrId: string, at: string): E.Either<string, { accounts: Account[]; revoked: Account }> => {
  const found = findAccount(accounts, nameOrId)
  if (found === undefined) return E.left(`no account is called or has the id "${nameOrId}"`)
  if (!isActive(found)) return E.left(`the account "${found.name}" (${found.id}) was already revoked at ${found.revoked}`)
  const revoked = { ...found, revoked: at }
  return E.right({ accounts: accounts.map((a) => (a.id === found.id ? revoked : a)), revoked })
}

/** Gives the active account of this name or id a new password hash (a reset, or its person's own change). */
export const setPassword = (accounts: ReadonlyArray<Account>, nameOrId: string, hash: string): E.Either<string, { accounts: Account[]; account: Account }> => {
  const found = findAccount(accounts, nameOrId)
  if (found === undefined) return E.left(`no account is called or has the id "${nameOrId}"`)
  if (!isActive(found)) return E.left(`the account "${found.name}" (${found.id}) was revoked at ${found.revoked}; add the person again instead`)
  const account = { ...found, password: hash }
  return E.right({ accounts: accounts.map((a) => (a.id === found.id ? account : a)), account })
}

/**
 * Revokes a person who has no local account (signed in through the identity provider): kept as a
 * revoked entry under their subject id, with no password, so they can neither sign in again nor
 * keep a session, and the list shows who revoked them when.
 */
export const revokeProviderPerson = (accounts: ReadonlyArray<Account>, person: { subject: string; name: string; role: PersonRole | null }, at: string): { accounts: Account[]; revoked: Account } => {
  const revoked: Account = { id: person.subject, name: person.name, role: person.role ?? 'dashboard', password: '', created: at, revoked: at }
  return { accounts: [...accounts.filter((a) => a.id !== person.subject), revoked], revoked }
}

/** Whether this subject id was revoked (a local account's, or a provider person's). */
export const isRevoked = (accounts: ReadonlyArray<Account>, subject: string): boolean => accounts.some((a) => a.id === subject && !isActive(a))

/** What may be shown of an account: everything but the password hash. */
export const publicAccount = (a: Account) => ({ id: a.id, name: a.name, role: a.role, created: a.created, revoked: a.revoked })
