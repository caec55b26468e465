import type { AccountSource } from '../accounts/account-file'
import { isRevoked } from '../accounts/accounts'
import { stillLocal } from '../accounts/local-sign-in'
import type { Session, SessionStore } from './sessions'

/**
 * The session of this id if it still holds: not expired, not ended, and its person not revoked
 * since (the accounts file is looked at on every call, so a revocation from the CLI or the API
 * ends the session from the next request on). A session that no longer holds is ended here.
 */
export const liveSession = (sessions: SessionStore, accounts: AccountSource, id: string): Session | undefined => {
  const s = sessions.find(id)
  if (s === undefined) return undefined
  const current = accounts.current()
  if (s.person.via === 'local' ? !stillLocal(current, s.person) : isRevoked(current, s.person.subject)) {
    sessions.end(id)
    return undefined
  }
  return s
}
