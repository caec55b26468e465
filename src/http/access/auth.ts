import { timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import type { Actor } from '../../ledger/deps'
import { problem, sendProblem } from '../wire/problem'
import type { AccountSource } from '../../identity/accounts/account-file'
import { liveSession } from '../../identity/sessions/live-session'
import { type SessionStore, csrfMatches } from '../../identity/sessions/sessions'
import { type Access, ALLOWED, type PersonRole, allows } from './roles'
import { crossOrigin, sessionIdOf } from './session-cookie'
import type { MetricsToken } from './metrics-token'
import { type TokenEntry, entryDigest, tokenDigest } from './tokens'

/**
 * Bearer tokens (RFC 6750). The registry holds only SHA-256 digests (as the tokens file does); the
 * presented token's digest is compared with timingSafeEqual against every configured one on every
 * request, so timing tells nothing about any of them.
 */
export interface Caller {
  readonly name: string
  /** null: a person signed in without any ledger role (refused everything). */
  readonly role: PersonRole | null
  /** A signed-in person's stable subject id; machine tokens have none. */
  readonly subject?: string
}

export class TokenRegistry {
  private readonly entries: ReadonlyArray<{ digest: Buffer; caller: Caller }>

  constructor(entries: ReadonlyArray<TokenEntry>) {
    this.entries = entries.map((e) => ({ digest: entryDigest(e), caller: { name: e.name, role: e.role } }))
  }

  find(token: string): Caller | undefined {
    const d = tokenDigest(token)
    let found: Caller | undefined
    for (const e of this.entries) if (timingSafeEqual(e.digest, d) && found === undefined) found = e.caller
    return found
  }
}

const REALM = 'budget-ledger'
/** Every 401 names how to authenticate (RFC 9110 §11.6.1). */
export const CHALLENGE = { 'WWW-Authenticate': `Bearer realm="${REALM}"` }
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** The caller of an authenticated request, as the Actor recorded in event metadata. */
export const actorOf = (res: Response): Actor => {
  const caller = res.locals.caller as Caller | undefined
  if (!caller) throw new Error('invariant: actorOf on a route without authentication')
  if (caller.role === null) throw new Error('invariant: actorOf for a caller without a role')
  return { name: caller.name, role: caller.role, ...(caller.subject === undefined ? {} : { subject: caller.subject }) }
}

/** Who may call: machine tokens, and people signed in with a session cookie. */
export interface Callers {
  readonly tokens: TokenRegistry
  readonly sessions: SessionStore
  readonly accounts: AccountSource
  /** The scraper's token, good for the 'metrics' routes only. */
  readonly metricsToken?: MetricsToken
}

/** The caller a metrics token stands for: no ledger role, so it passes no other guard. */
const SCRAPER: Caller = { name: 'metrics-scraper', role: null }

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A browser session's caller, or the problem. Writes through a session must come from this
 * server's own page: no foreign Origin, and the session's CSRF token in X-CSRF-Token (a page of
 * another site can send the cookie in some browsers, never read the token).
 */
const sessionCaller = (callers: Callers, req: Request, id: string): Caller | ReturnType<typeof problem> => {
  const s = liveSession(callers.sessions, callers.accounts, id)
  if (s === undefined) return problem('unauthorized', 'the session has ended (signed out, expired or revoked): sign in again at POST /auth/login')
  if (!READS.has(req.method)) {
    if (crossOrigin(req)) return problem('forbidden', `a write from another origin (${req.get('origin')}) is refused; nothing was written`)
    if (!csrfMatches(s, req.get('x-csrf-token')))
      return problem('forbidden', 'a write through a session needs the X-CSRF-Token header (csrfToken from GET /auth/me); nothing was written')
  }
  return { name: s.person.name, role: s.person.role, subject: s.person.subject }
}

/** Route middleware: 401 without a valid token, 403 when the role may not do this. */
export const guard =
  (callers: Callers, access: Access) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (access === 'public') return next()
    const header = req.headers.authorization
    const sessionId = header === undefined || header.trim() === '' ? sessionIdOf(req) : undefined
    if (sessionId !== undefined) {
      const found = sessionCaller(callers, req, sessionId)
      if ('type' in found) return sendProblem(res, found, found.status === 401 ? CHALLENGE : {})
      if (!allows(access, found.role))
        return sendProblem(res, problem('forbidden', `${found.role === null ? 'a person without a ledger role (the identity provider gave none)' : `role "${found.role}"`} may not do this; it needs one of: ${ALLOWED[access].join(', ')}`))
      res.locals.caller = found
      return next()
    }
    if (header === undefined || header.trim() === '') {
      sendProblem(res, problem('unauthorized', 'send a token (Authorization: Bearer <token>) or sign in (POST /auth/login)'), {
        'WWW-Authenticate': `Bearer realm="${REALM}"`,
      })
      return
    }
    const m = BEARER.exec(header)
    if (m && access === 'metrics' && callers.metricsToken?.matches(m[1]!)) {
      res.locals.caller = SCRAPER
      return next()
    }
    const caller = m ? callers.tokens.find(m[1]!) : undefined
    if (!caller) {
      sendProblem(res, problem('unauthorized', 'the token is not valid'), {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token"`,
      })
      return
    }
    if (!allows(access, caller.role)) {
      const roles = ALLOWED[access]
      sendProblem(res, problem('forbidden', `role "${caller.role}" may not do this; it needs one of: ${roles.join(', ')}`), {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope"`,
      })
      return
    }
    res.locals.caller = caller
    next()
  }
