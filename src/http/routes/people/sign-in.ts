import type { Request } from 'express'
import * as E from 'fp-ts/Either'
import { MIN_PASSWORD_LENGTH } from '../../../identity/accounts/password'
import { changePassword } from '../../../identity/accounts/password-change'
import { liveSession } from '../../../identity/sessions/live-session'
import { signInLocal } from '../../../identity/accounts/local-sign-in'
import { type Session, csrfMatches } from '../../../identity/sessions/sessions'
import { CHALLENGE } from '../../access/auth'
import { problemResponse, ref, response } from '../../wire/openapi-parts'
import { problem, sendProblem } from '../../wire/problem'
import { type RouteContext, type RouteSpec, sendJson } from '../../route'
import { clearSessionCookie, crossOrigin, sessionIdOf, setSessionCookie } from '../../access/session-cookie'

/** Who is signed in, as GET /auth/me and the sign-ins answer it. */
export const signedIn = (s: Session) => ({ ...s.person, csrfToken: s.csrf, expires: s.expires.toISOString() })

const NO_STORE = { 'Cache-Control': 'no-store' }

/** The session the request's cookie names, if it still holds. */
export const sessionOf = (ctx: RouteContext, req: Request): Session | undefined => {
  const id = sessionIdOf(req)
  return id === undefined ? undefined : liveSession(ctx.sessions, ctx.accounts, id)
}

/** A session's own write (sign-out, password change) from another site is refused: the page of this origin sends the CSRF token. */
const foreignWrite = (s: Session, req: Request): boolean => crossOrigin(req) || !csrfMatches(s, req.get('x-csrf-token'))

const field = (body: unknown, name: string): string | undefined => {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined
  return typeof v === 'string' && v !== '' ? v : undefined
}

export const postLogin: RouteSpec = {
  method: 'post',
  path: '/auth/login',
  access: 'public',
  jsonBody: true,
  formBody: true,
  operation: {
    operationId: 'signIn',
    summary: 'Sign in with a local account (name and password): starts a session in an httpOnly cookie',
    description: 'For a ledger without an identity provider (accounts: `budget-ledger users add`). JSON or an HTML form. A form is answered 303 to the page.',
    tags: ['sign-in'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('SignIn') }, 'application/x-www-form-urlencoded': { schema: ref('SignIn') } } },
    responses: {
      200: response('Signed in; the session cookie is set', 'SignedIn'),
      303: { description: 'Signed in from a form: to the page' },
      429: problemResponse('Five wrong passwords for this name within 15 minutes: wait (Retry-After)'),
    },
  },
  async handle(ctx, req, res) {
    if (crossOrigin(req)) return sendProblem(res, problem('forbidden', `a sign-in from another origin (${req.get('origin')}) is refused`))
    const name = field(req.body, 'name')
    const password = field(req.body, 'password')
    const missing = [...(name === undefined ? ['name'] : []), ...(password === undefined ? ['password'] : [])]
    if (missing.length > 0)
      return sendProblem(res, problem('invalid', `give ${missing.join(' and ')}`, missing.map((path) => ({ path, reason: 'required: non-empty text' }))))
    const wait = ctx.throttle.waitFor(name!)
    if (wait > 0)
      return sendProblem(res, problem('too-many-requests', `too many wrong passwords for "${name}": try again in ${Math.ceil(wait / 60)} minute(s)`), { 'Retry-After': String(wait) })
    const person = await signInLocal(ctx.accounts.current(), name!, password!)
    if (person === undefined) {
      ctx.throttle.failed(name!)
      return sendProblem(res, problem('unauthorized', 'the name or the password is wrong (or the account was revoked)'), CHALLENGE)
    }
    ctx.throttle.succeeded(name!)
    const s = ctx.sessions.start(person)
    setSessionCookie(req, res, s)
    if (req.is('application/x-www-form-urlencoded')) {
      res.status(303).setHeader('Location', '/')
      res.setHeader('Cache-Control', 'no-store')
      return void res.end()
    }
    sendJson(res, 200, signedIn(s), NO_STORE)
  },
}

export const getMe: RouteSpec = {
  method: 'get',
  path: '/auth/me',
  access: 'public',
  operation: {
    operationId: 'whoAmI',
    summary: 'Who is signed in with this session cookie, and the CSRF token for writes',
    tags: ['sign-in'],
    responses: { 200: response('The signed-in person', 'SignedIn'), 401: problemResponse('No session, or it has ended') },
  },
  handle(ctx, req, res) {
    const s = sessionOf(ctx, req)
    if (s === undefined) return sendProblem(res, problem('unauthorized', 'not signed in: POST /auth/login, or GET /auth/oidc/start'), CHALLENGE)
    sendJson(res, 200, signedIn(s), NO_STORE)
  },
}

export const postLogout: RouteSpec = {
  method: 'post',
  path: '/auth/logout',
  access: 'public',
  operation: {
    operationId: 'signOut',
    summary: 'Sign out: ends the session (send X-CSRF-Token) and clears the cookie',
    description:
      "A person of the identity provider is answered 200 with `endSession`, the provider's end_session_endpoint (RP-initiated logout) to send the browser to, so the provider's session ends too and the provider sends the browser back to the page.",
    tags: ['sign-in'],
    responses: {
      200: { description: 'Signed out here; the provider signs out at endSession', content: { 'application/json': { schema: { type: 'object', properties: { endSession: { type: 'string', format: 'uri' } }, required: ['endSession'] } } } },
      204: { description: 'Signed out (or was not signed in)' },
    },
  },
  async handle(ctx, req, res) {
    const s = sessionOf(ctx, req)
    let endSession: URL | undefined
    if (s !== undefined) {
      // Another site must not sign a person out either.
      if (foreignWrite(s, req)) return sendProblem(res, problem('forbidden', 'signing out needs the X-CSRF-Token header (csrfToken from GET /auth/me) from this origin'))
      ctx.sessions.end(s.id)
      // Signed out here whatever the provider says: an unreachable provider leaves only its own session.
      if (s.person.via === 'oidc' && ctx.oidc !== undefined) endSession = await ctx.oidc.endSessionUrl().catch(() => undefined)
    }
    clearSessionCookie(req, res)
    res.setHeader('Cache-Control', 'no-store')
    if (endSession !== undefined) return sendJson(res, 200, { endSession: endSession.href }, NO_STORE)
    res.status(204)
    res.end()
  },
}

export const postPassword: RouteSpec = {
  method: 'post',
  path: '/auth/password',
  access: 'public',
  jsonBody: true,
  operation: {
    operationId: 'changeOwnPassword',
    summary: 'A person changes their own password (a local account; send X-CSRF-Token): every other session of theirs ends, and this one is renewed',
    tags: ['sign-in'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('PasswordChange') } } },
    responses: {
      200: response('Changed; a new session cookie is set', 'SignedIn'),
      401: problemResponse('Not signed in'),
      409: problemResponse('A person of the identity provider: their password is kept there'),
      422: problemResponse('The old password is wrong, or the new one too short or the same'),
      429: problemResponse('Five wrong passwords for this name within 15 minutes: wait (Retry-After)'),
    },
  },
  async handle(ctx, req, res) {
    const oldPassword = field(req.body, 'oldPassword')
    const newPassword = field(req.body, 'newPassword')
    const missing = [...(oldPassword === undefined ? ['oldPassword'] : []), ...(newPassword === undefined ? ['newPassword'] : [])]
    if (missing.length > 0)
      return sendProblem(res, problem('invalid', `give ${missing.join(' and ')}`, missing.map((path) => ({ path, reason: 'required: non-empty text' }))))
    const s = sessionOf(ctx, req)
    if (s === undefined) return sendProblem(res, problem('unauthorized', 'not signed in: POST /auth/login first'), CHALLENGE)
    if (foreignWrite(s, req)) return sendProblem(res, problem('forbidden', 'changing the password needs the X-CSRF-Token header (csrfToken from GET /auth/me) from this origin; nothing was changed'))
    if (s.person.via !== 'local') return sendProblem(res, problem('refused', `${s.person.name} signs in through the identity provider: the password is changed there`))
    if ([...newPassword!].length < MIN_PASSWORD_LENGTH || newPassword === oldPassword)
      return sendProblem(res, problem('invalid', 'the new password was not taken; nothing was changed', [{ path: 'newPassword', reason: newPassword === oldPassword ? 'the same as the old one' : `at least ${MIN_PASSWORD_LENGTH} characters` }]))
    const wait = ctx.throttle.waitFor(s.person.name)
    if (wait > 0) return sendProblem(res, problem('too-many-requests', `too many wrong passwords for "${s.person.name}": try again in ${Math.ceil(wait / 60)} minute(s)`), { 'Retry-After': String(wait) })
    const person = await signInLocal(ctx.accounts.current(), s.person.name, oldPassword!)
    if (person?.subject !== s.person.subject) {
      ctx.throttle.failed(s.person.name)
      return sendProblem(res, problem('invalid', 'the old password is wrong; nothing was changed', [{ path: 'oldPassword', reason: 'not the password now' }]))
    }
    ctx.throttle.succeeded(s.person.name)
    const changed = await changePassword(ctx.accounts.file, ctx.sessions, s.person.subject, newPassword!)
    if (E.isLeft(changed)) return sendProblem(res, problem('refused', changed.left))
    // Every session of theirs ended with the change; this browser goes on in a new one.
    const renewed = ctx.sessions.start(person)
    setSessionCookie(req, res, renewed)
    sendJson(res, 200, signedIn(renewed), NO_STORE)
  },
}

export const SIGN_IN_ROUTES: ReadonlyArray<RouteSpec> = [postLogin, getMe, postLogout, postPassword]
