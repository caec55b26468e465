import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { decode } from '../../domain/codecs/decode'
import { PersonRole } from '../../http/access/roles'
import { withFileLock } from '../files/file-lock'
import type { Person } from './person'
import { fileVersion, writePrivateFile } from '../files/private-file'

/**
 * Browser sessions, server-side: the cookie carries only a random id. Each session ends at a fixed
 * time after sign-in, on sign-out, or when its person is revoked; the count is bounded, the oldest
 * dropped first, so a flood of sign-ins cannot fill the memory or the file.
 *
 * With a file (sessions.json beside the users file) they outlive a restart: the file holds only a
 * hash of each id (a copy of the file opens no session), the person and the expiry; mode 0600,
 * written whole under the file's lock (several servers, and the CLI, may share it) and re-read
 * whenever it changed, so a sign-out or a revocation in one process ends the session in all. The
 * CSRF token is derived from the id, so it needs no keeping either.
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
export const SESSIONS_FILE = 'sessions.json'

/** The sessions file of a users file: beside it. */
export const sessionsFileBeside = (usersFile: string): string => join(dirname(usersFile), SESSIONS_FILE)

const Stored = t.type(
  {
    /** SHA-256 of the session id, base64url. */
    key: t.string,
    person: t.type({ subject: t.string, name: t.string, role: t.union([PersonRole, t.null]), via: t.union([t.literal('local'), t.literal('oidc')]) }),
    expires: t.string,
  },
  'StoredSession',
)
type Stored = t.TypeOf<typeof Stored>
const StoredSessions = t.array(Stored)

export class SessionFileError extends Error {}

const randomId = () => randomBytes(32).toString('base64url')
const digest = (text: string) => createHash('sha256').update(text).digest('base64url')
const keyOf = (id: string) => digest(`session\0${id}`)
const csrfOf = (id: string) => digest(`csrf\0${id}`)

export class SessionStore {
  /** By key, oldest first. */
  private stored = new Map<string, Stored>()
  private seen = 'none'

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly hours = SESSION_HOURS,
    private readonly max = MAX_SESSIONS,
    /** Where they are kept; none: in this process's memory only (a restart signs everyone out). */
    readonly file?: string,
  ) {}

  /** The file as it is now, when it changed since last read. */
  private refresh(): void {
    if (this.file === undefined) return
    const version = fileVersion(this.file)
    if (version === this.seen) return
    this.stored = new Map(version === 'none' ? [] : this.read(this.file).map((s) => [s.key, s]))
    this.seen = version
  }

  private read(file: string): Stored[] {
    let json: unknown
    try {
      json = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new SessionFileError(`${file}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const decoded = decode(StoredSessions)(json)
    if (E.isLeft(decoded)) throw new SessionFileError(`${file}: ${decoded.left.map((e) => e.message).join('; ')}`)
    return decoded.right
  }

  /** Changes the sessions: under the file's lock, on the file as it is, expired ones dropped, written whole. */
  private change<T>(f: (stored: Map<string, Stored>) => T): T {
    if (this.file === undefined) return f(this.stored)
    const file = this.file
    return withFileLock(file, () => {
      this.refresh()
      const now = this.now().getTime()
      for (const [k, s] of this.stored) if (Date.parse(s.expires) <= now) this.stored.delete(k)
      const result = f(this.stored)
      writePrivateFile(file, `${JSON.stringify([...this.stored.values()])}\n`)
      this.seen = fileVersion(file)
      return result
    })
  }

  start(person: Person): Session {
    const id = randomId()
    const expires = new Date(this.now().getTime() + this.hours * 3_600_000)
    this.change((stored) => {
      while (stored.size >= this.max) stored.delete(stored.keys().next().value!)
      stored.set(keyOf(id), { key: keyOf(id), person, expires: expires.toISOString() })
    })
    return { id, csrf: csrfOf(id), person, expires }
  }

  find(id: string): Session | undefined {
    this.refresh()
    const s = this.stored.get(keyOf(id))
    if (s === undefined || Date.parse(s.expires) <= this.now().getTime()) return undefined
    return { id, csrf: csrfOf(id), person: s.person, expires: new Date(s.expires) }
  }

  end(id: string): void {
    this.change((stored) => stored.delete(keyOf(id)))
  }

  /** The people signed in now, each with how many sessions they hold. */
  people(): Array<{ person: Person; sessions: number }> {
    this.refresh()
    const now = this.now().getTime()
    const by = new Map<string, { person: Person; sessions: number }>()
    for (const s of this.stored.values()) {
      if (Date.parse(s.expires) <= now) continue
      const seen = by.get(s.person.subject)
      by.set(s.person.subject, { person: s.person, sessions: (seen?.sessions ?? 0) + 1 })
    }
    return [...by.values()]
  }

  /** Ends every session of one person (revoked, or their password reset). */
  endFor(subject: string): number {
    return this.change((stored) => {
      let n = 0
      for (const [k, s] of stored) if (s.person.subject === subject) n += Number(stored.delete(k))
      return n
    })
  }
}

/** Whether a request's X-CSRF-Token is this session's, compared in constant time. */
export const csrfMatches = (session: Session, sent: string | undefined): boolean => {
  if (sent === undefined) return false
  const a = Buffer.from(sent, 'utf8')
  const b = Buffer.from(session.csrf, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
