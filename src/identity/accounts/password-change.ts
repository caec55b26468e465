import * as E from 'fp-ts/Either'
import { updateAccounts } from './account-file'
import { type Account, publicAccount, setPassword } from './accounts'
import { hashPassword, newPassword } from './password'
import type { SessionStore } from '../sessions/sessions'

/**
 * A new password for a local account, and the end of every session it had: the CLI's
 * `users reset-password` and the administrator's route (a new random password, shown once), and a
 * person's own change (the password they chose). Written under the users file's lock.
 */
export const changePassword = async (file: string, sessions: SessionStore, nameOrId: string, password: string): Promise<E.Either<string, { account: ReturnType<typeof publicAccount>; sessionsEnded: number }>> => {
  const hash = await hashPassword(password)
  const changed = updateAccounts(file, (accounts) => E.map((r: { accounts: Account[]; account: Account }) => ({ accounts: r.accounts, result: r.account }))(setPassword(accounts, nameOrId, hash)))
  if (E.isLeft(changed)) return changed
  return E.right({ account: publicAccount(changed.right), sessionsEnded: sessions.endFor(changed.right.id) })
}

/** A reset: a new random password, returned to be shown once. */
export const resetPassword = async (file: string, sessions: SessionStore, nameOrId: string) => {
  const password = newPassword()
  return E.map((r: { account: ReturnType<typeof publicAccount>; sessionsEnded: number }) => ({ ...r, password }))(await changePassword(file, sessions, nameOrId, password))
}
