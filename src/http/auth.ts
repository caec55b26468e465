import { timingSafeEqual } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import type { Actor } from '../ledger/deps'
import { problem, sendProblem } from './problem'
import { type Access, ALLOWED, type Role, allows } from './roles'
import { type TokenEntry, entryDigest, tokenDigest } from './tokens'

/**
 * Bearer tokens (RFC 6750). The registry holds only SHA-256 digests (as the tokens file does); the
 * presented token's digest is compared with timingSafeEqual against every configured one on every
 * request, so timing tells nothing about any of them.
 */
export interface Caller {
  readonly name: string
  readonly role: Role
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
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** The caller of an authenticated request, as the Actor recorded in event metadata. */
export const actorOf = (res: Response): Actor => {
  const caller = res.locals.caller as Caller | undefined
  if (!caller) throw new Error('invariant: actorOf on a route without authentication')
  return { name: caller.name, role: caller.role }
}

/** Route middleware: 401 without a valid token, 403 when the role may not do this. */
export const guard =
  (tokens: TokenRegistry, access: Access) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (access === 'public') return next()
    const header = req.get('authorization')
    if (header === undefined || header.trim() === '') {
      sendProblem(res, problem('unauthorized', 'send a token: Authorization: Bearer <token>'), {
        'WWW-Authenticate': `Bearer realm="${REALM}"`,
      })
      return
    }
    const m = BEARER.exec(header)
    const caller = m ? tokens.find(m[1]!) : undefined
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
