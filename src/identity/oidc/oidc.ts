import { randomBytes } from 'node:crypto'
import type * as Client from 'openid-client' with { 'resolution-mode': 'import' }
import { type OidcSettings, nameFromClaims, roleFromClaims } from './oidc-settings'
import type { Person } from '../sessions/person'

/**
 * The authorization code flow with PKCE, state and nonce, through openid-client (which checks the
 * ID token's signature, issuer, audience, expiry and nonce). openid-client is an ES module and
 * this project CommonJS: it is loaded with import(), which tsc keeps as it is under module node16
 * (it does not turn it into require(), which cannot load an ES module on Node 20).
 */
type OpenIdClient = typeof Client
let library: Promise<OpenIdClient> | undefined
const openidClient = (): Promise<OpenIdClient> => (library ??= import('openid-client'))

/** A sign-in under way: what the callback must match. Kept for ten minutes at most. */
interface Pending {
  readonly verifier: string
  readonly nonce: string
  readonly expires: number
}

const PENDING_MINUTES = 10
const MAX_PENDING = 10_000
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export class OidcSignInError extends Error {}

/** The provider's own error code and words when it gave them (e.g. invalid_grant), else the check that failed. */
const why = (err: unknown): string => {
  const e = err as { message?: unknown; error?: unknown; error_description?: unknown }
  const said = typeof e.error === 'string' ? ` (${e.error}${typeof e.error_description === 'string' ? `: ${e.error_description}` : ''})` : ''
  return `${err instanceof Error ? err.message : String(err)}${said}`
}

export class OidcSignIn {
  private config: Promise<Client.Configuration> | undefined
  private readonly pending = new Map<string, Pending>()

  constructor(readonly settings: OidcSettings) {}

  private async configuration(): Promise<Client.Configuration> {
    const client = await openidClient()
    const s = this.settings
    this.config ??= client
      .discovery(s.issuer, s.clientId, s.clockSkew ? { [client.clockSkew]: s.clockSkew } : undefined, s.clientSecret === undefined ? client.None() : client.ClientSecretPost(s.clientSecret), {
        // Plain http only for a provider on this machine (a test or a laptop), never across a network.
        ...(s.issuer.protocol === 'http:' && LOOPBACK.has(s.issuer.host.replace(/:\d+$/, '')) ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        this.config = undefined
        throw new OidcSignInError(`the identity provider ${s.issuer.href} could not be reached or read: ${err instanceof Error ? err.message : String(err)}`)
      })
    return this.config
  }

  /** Where to send the browser, and the state to keep in its cookie for the callback. */
  async start(): Promise<{ url: URL; state: string }> {
    const client = await openidClient()
    const config = await this.configuration()
    const now = Date.now()
    for (const [k, p] of this.pending) if (p.expires <= now || this.pending.size >= MAX_PENDING) this.pending.delete(k)
    const verifier = client.randomPKCECodeVerifier()
    const state = randomBytes(32).toString('base64url')
    const nonce = client.randomNonce()
    this.pending.set(state, { verifier, nonce, expires: now + PENDING_MINUTES * 60_000 })
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri.href,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    return { url, state }
  }

  /**
   * The callback: `query` as the provider sent it, `state` from the browser's cookie. The person,
   * or OidcSignInError saying why not (each pending sign-in is used once).
   */
  async finish(query: string, state: string | undefined): Promise<Person> {
    const client = await openidClient()
    const config = await this.configuration()
    const pending = state === undefined ? undefined : this.pending.get(state)
    if (state === undefined || pending === undefined || pending.expires <= Date.now())
      throw new OidcSignInError('no sign-in is under way in this browser (or it took longer than ten minutes): start again at /auth/oidc/start')
    this.pending.delete(state)
    const current = new URL(this.settings.redirectUri.href)
    current.search = query
    let claims: Record<string, unknown>
    try {
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.verifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true })
      claims = { ...tokens.claims() }
      // A provider that keeps profile claims out of the ID token gives them at userinfo.
      if (claims[this.settings.roleClaim] === undefined || claims.name === undefined) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))
        claims = { ...info, ...claims }
      }
    } catch (err) {
      throw new OidcSignInError(`the identity provider's answer was refused: ${why(err)}`)
    }
    return { subject: `${String(claims.iss)}|${String(claims.sub)}`, name: nameFromClaims(claims), role: roleFromClaims(claims, this.settings), via: 'oidc' }
  }

  /**
   * Where to send the browser so the provider ends its own session too (RP-initiated logout), then
   * back to the page; undefined when the provider publishes no end_session_endpoint. Identified by
   * client_id rather than an ID token hint, so no ID token has to be kept with the session.
   */
  async endSessionUrl(): Promise<URL | undefined> {
    const client = await openidClient()
    const config = await this.configuration()
    if (config.serverMetadata().end_session_endpoint === undefined) return undefined
    return client.buildEndSessionUrl(config, { client_id: this.settings.clientId, post_logout_redirect_uri: (this.settings.postLogoutRedirectUri ?? new URL('/', this.settings.redirectUri)).href })
  }
}
