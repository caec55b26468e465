import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Person } from './person'

/**
 * Browser sessions, server-side and in memory: the cookie carries only a random id. Each session
 * ends at a fixed time after sign-in, on sign-out, or when its person is revoked; the count is
 * bounded, the oldest dropped first, so a flood of sign-ins cannot fill the memory. A restart
 * signs everyone out, which is acceptable for a ledger people sign in to for a working day.
 */
export interface Session {
  readonly id: string
  /** Synchronizer token: a state-changing request must send it back in X-CSRF-Token. */
  readonly csrf: string
  readonly person: Person
  readonly expires: Date
}

export const SESSION_HOURS = 8
export const MAX_SESSIONS = 10_000

const randomId = () => randomBytes(32).toString('base64url')

export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly hours = SESSION_HOURS,
    private readonly max = MAX_SESSIONS,
  ) {}

  start(person: Person): Session {
    while (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value!)
    const s: Session = { id: randomId(), csrf: randomId(), person, expires: new Date(this.now().getTime() + this.hours * 3_600_000) }
    this.sessions.set(s.id, s)
    return s
  }

  find(id: string): Session | undefined {
    const s = this.sessions.get(id)
    if (s === undefined) return undefined
    if (s.expires.getTime() <= this.now().getTime()) {
      this.sessions.delete(id)
      return undefined
    }
    return s
  }

  end(id: string): void {
    this.sessions.delete(id)
  }

  /** The people signed in now, each with how many sessions they hold. */
  people(): Array<{ person: Person; sessions: number }> {
    const now = this.now().getTime()
    const by = new Map<string, { person: Person; sessions: number }>()
    for (const s of this.sessions.values()) {
      if (s.expires.getTime() <= now) continue
      const seen = by.get(s.person.subject)
      by.set(s.person.subject, { person: s.person, sessions: (seen?.sessions ?? 0) + 1 })
    }
    return [...by.values()]
  }

  /** Ends every session of one person (revoked). */
  endFor(subject: string): number {
    let n = 0
    for (const [id, s] of this.sessions) if (s.person.subject === subject) n += Number(this.sessions.delete(id))
    return n
  }
}

/** Whether a request's X-CSRF-Token is this session's, compared in constant time. */
export const csrfMatches = (session: Session, sent: string | undefined): boolean => {
  if (sent === undefined) return false
  const a = Buffer.from(sent, 'utf8')
  const b = Buffer.from(session.csrf, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
