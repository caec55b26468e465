import type { Request, Response } from 'express'
import type { Session } from '../../identity/sessions/sessions'

/**
 * The session cookie: only the session's random id, httpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), Path=/, Secure when the request came over https (directly, or
 * through a proxy trusted with LEDGER_TRUST_PROXY).
 */
export const SESSION_COOKIE = 'ledger_session'

/** A cookie's value from the request's Cookie header; undefined when absent or empty. */
export const cookieValue = (req: Request, name: string): string | undefined => {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined
  }
  return undefined
}

export const sessionIdOf = (req: Request): string | undefined => cookieValue(req, SESSION_COOKIE)

const attributes = (req: Request) => `Path=/; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`

export const setSessionCookie = (req: Request, res: Response, s: Session): void => {
  const maxAge = Math.max(0, Math.floor((s.expires.getTime() - Date.now()) / 1000))
  res.append('Set-Cookie', `${SESSION_COOKIE}=${s.id}; Max-Age=${maxAge}; ${attributes(req)}`)
}

export const clearSessionCookie = (req: Request, res: Response): void => {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Max-Age=0; ${attributes(req)}`)
}

/** A request a browser sent from another site's page: its Origin is not this server's. Absent Origin is left to the CSRF token. */
export const crossOrigin = (req: Request): boolean => {
  const origin = req.get('origin')
  return origin !== undefined && origin !== `${req.protocol}://${req.host}`
}
