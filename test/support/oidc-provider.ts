import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real OpenID provider (the oidc-provider package) on an ephemeral loopback port. Its login
 * interaction signs in whoever the test named last (`signInAs`), with the claims given here, and
 * consents to what the ledger asked for, as a person clicking through would. Clients: "ledger" and
 * "other-app", both sending people back to `redirect` on any loopback port.
 */
export const CLIENT_SECRET = 'ledger-test-client-secret-0123456789abcdef'

export interface TestProvider {
  readonly issuer: string
  signInAs(account: string): void
  close(): Promise<void>
}

export const startProvider = async (accounts: Record<string, Record<string, unknown>>, redirect: () => string = () => 'http://127.0.0.1/auth/oidc/callback'): Promise<TestProvider> => {
  let current = Object.keys(accounts)[0]!
  let provider: any
  /** The login prompt signs in the chosen account; the consent prompt grants what was asked. */
  const interact = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res)
    if (details.prompt.name === 'login') return provider.interactionFinished(req, res, { login: { accountId: current } }, { mergeWithLastSubmission: false })
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id })
    grant.addOIDCScope(String(details.params.scope))
    grant.addOIDCClaims(details.prompt.details.missingOIDCClaims ?? [])
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true })
  }
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res).catch((e: Error) => {
        res.statusCode = 500
        res.end(e.message)
      })
      return
    }
    provider.callback()(req, res)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // @ts-ignore oidc-provider ships no types; the test uses it as the provider's documentation shows
  const { default: Provider } = (await import('oidc-provider')) as { default: any }
  // A native client: a loopback redirect URI matches on any port (RFC 8252 §7.3), so each ledger of a test may listen where it likes.
  const client = (id: string) => ({ client_id: id, client_secret: CLIENT_SECRET, application_type: 'native', redirect_uris: [redirect()], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' })
  provider = new Provider(issuer, {
    clients: [client('ledger'), client('other-app')],
    findAccount: async (_ctx: unknown, id: string) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
  })
  return {
    issuer,
    signInAs: (account) => {
      current = account
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

/**
 * A browser's trip: from the ledger's /auth/oidc/start through the provider and back. The ledger's
 * reply to its callback. `tamper` may change the authorization request on its way to the provider.
 */
export const browserSignIn = async (ledger: string, tamper: (authorization: URL) => void = () => {}): Promise<Response> => {
  const jar = new Map<string, string>()
  const go = async (url: string, cookies: Map<string, string>) => {
    const r = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
    for (const c of r.headers.getSetCookie()) {
      const kv = c.split(';')[0]!
      const eq = kv.indexOf('=')
      cookies.set(kv.slice(0, eq), kv.slice(eq + 1))
    }
    return r
  }
  const ledgerCookies = new Map<string, string>()
  let r = await go(`${ledger}/auth/oidc/start`, ledgerCookies)
  if (r.status !== 302) throw new Error(`start: ${r.status} ${await r.text()}`)
  const authorization = new URL(r.headers.get('location')!, ledger)
  tamper(authorization)
  let url = authorization.href
  for (let hops = 0; !url.startsWith(ledger); hops++) {
    if (hops > 10) throw new Error('too many redirects at the provider')
    r = await go(url, jar)
    if (r.status < 300 || r.status >= 400) throw new Error(`provider: ${r.status} ${await r.text()}`)
    url = new URL(r.headers.get('location')!, url).href
  }
  return go(url, ledgerCookies)
}
