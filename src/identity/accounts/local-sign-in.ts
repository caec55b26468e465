import { type Account, isActive } from './accounts'
import { DECOY_HASH, verifyPassword } from './password'
import type { Person } from '../sessions/person'

/**
 * A local account's sign-in: the active account of that name and its password. An unknown name
 * still costs one hash check, so the answer's timing does not tell which names exist.
 */
export const signInLocal = async (accounts: ReadonlyArray<Account>, name: string, password: string): Promise<Person | undefined> => {
  const account = accounts.find((a) => isActive(a) && a.name === name.trim())
  const ok = await verifyPassword(password, account?.password ?? DECOY_HASH)
  return ok && account ? { subject: account.id, name: account.name, role: account.role, via: 'local' } : undefined
}

/** A local person is still who they were at sign-in: their account exists, is active, and holds the same role. */
export const stillLocal = (accounts: ReadonlyArray<Account>, person: Person): boolean =>
  accounts.some((a) => a.id === person.subject && isActive(a) && a.role === person.role)
