import type { Request, Response } from 'express'
import { isRevoked } from '../../../identity/accounts/accounts'
import { OidcSignInError } from '../../../identity/oidc/oidc'
import { problemResponse } from '../../wire/openapi-parts'
import { problem, sendProblem } from '../../wire/problem'
import type { RouteContext, RouteSpec } from '../../route'
import { cookieValue, setSessionCookie } from '../../access/session-cookie'

/**
 * Sign-in through the identity provider. The state of a sign-in under way lives in its own cookie,
 * SameSite=Lax: the provider sends the browser back from another site, and a Strict cookie would
 * not come with it. The session that follows is the same as a local account's.
 */
const STATE_COOKIE = 'ledger_oidc_state'

const stateOf = (req: Request): string | undefined => cookieValue(req, STATE_COOKIE)

const stateCookie = (req: Request, value: string, maxAge: number) =>
  `${STATE_COOKIE}=${value}; Max-Age=${maxAge}; Path=/auth/oidc; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`

const notConfigured = (res: Response) =>
  sendProblem(res, problem('not-configured', 'sign-in through an identity provider is not configured here (LEDGER_OIDC_ISSUER, LEDGER_OIDC_CLIENT_ID, LEDGER_OIDC_REDIRECT_URI); sign in with a local account at POST /auth/login'))

const failed = (res: Response, err: unknown) => {
  if (!(err instanceof OidcSignInError)) throw err
  sendProblem(res, problem(/could not be reached/.test(err.message) ? 'bad-gateway' : 'unauthorized', err.message))
}

export const oidcStart: RouteSpec = {
  method: 'get',
  path: '/auth/oidc/start',
  access: 'public',
  operation: {
    operationId: 'oidcStart',
    summary: "Sign in through the organisation's identity provider: redirects there (authorization code with PKCE)",
    tags: ['sign-in'],
    responses: { 302: { description: 'To the identity provider' }, 501: problemResponse('No identity provider is configured') },
  },
  async handle(ctx: RouteContext, req, res) {
    if (ctx.oidc === undefined) return notConfigured(res)
    try {
      const { url, state } = await ctx.oidc.start()
      res.append('Set-Cookie', stateCookie(req, state, 600))
      res.setHeader('Cache-Control', 'no-store')
      res.redirect(302, url.href)
    } catch (err) {
      failed(res, err)
    }
  },
}

export const oidcCallback: RouteSpec = {
  method: 'get',
  path: '/auth/oidc/callback',
  access: 'public',
  operation: {
    operationId: 'oidcCallback',
    summary: 'Where the identity provider sends the browser back: checks the answer and starts a session',
    tags: ['sign-in'],
    responses: { 303: { description: 'Signed in: to the page, with the session cookie' }, 401: problemResponse('The answer was refused (state, nonce, signature, audience, expiry)') },
  },
  async handle(ctx: RouteContext, req, res) {
    if (ctx.oidc === undefined) return notConfigured(res)
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : ''
    res.append('Set-Cookie', stateCookie(req, '', 0))
    try {
      const person = await ctx.oidc.finish(query, stateOf(req))
      if (isRevoked(ctx.accounts.current(), person.subject))
        return sendProblem(res, problem('forbidden', `${person.name} (${person.subject}) was revoked by an administrator of this ledger`))
      setSessionCookie(req, res, ctx.sessions.start(person))
      res.setHeader('Cache-Control', 'no-store')
      res.redirect(303, '/')
    } catch (err) {
      failed(res, err)
    }
  },
}
