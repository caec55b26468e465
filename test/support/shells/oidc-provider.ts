import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real OpenID provider (the oidc-provider package) on an ephemeral loopback port. Its login
 * interaction signs in whoever the test named last (`signInAs`), with the claims given here, and
 * consents to what the ledger asked for, as a person clicking through would; with `pages`, it shows
 * a login page (账号) and a consent page (同意) for a real browser to fill in instead. Clients:
 * "ledger" and "other-app", both sending people back to `redirect` on any loopback port, and after
 * signing out (RP-initiated logout) to `afterSignOut`. The provider is built at its first request,
 * so those may name a ledger started after it.
 */
export const CLIENT_SECRET = 'ledger-test-client-secret-0123456789abcdef'

export interface TestProvider {
  readonly issuer: string
  signInAs(account: string): void
  close(): Promise<void>
}

export interface ProviderOptions {
  /** Show login and consent pages (for a real browser) instead of clicking through them. */
  readonly pages?: boolean
  /** The ledger's page, where the provider may send the browser after signing out. */
  readonly afterSignOut?: () => string
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`

const formBody = (req: IncomingMessage): Promise<URLSearchParams> =>
  new Promise((done) => {
    let text = ''
    req.setEncoding('utf8').on('data', (t: string) => (text += t))
    req.on('end', () => done(new URLSearchParams(text)))
  })

export const startProvider = async (
  accounts: Record<string, Record<string, unknown>>,
  redirect: () => string = () => 'http://127.0.0.1/auth/oidc/callback',
  options: ProviderOptions = {},
): Promise<TestProvider> => {
  let current = Object.keys(accounts)[0]!
  let provider: any
  /** The login and consent pages a person fills in: GET shows them, POST finishes the prompt. */
  const showPage = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res)
    const action = `/interaction/${details.uid}`
    if (req.method === 'POST') {
      const form = await formBody(req)
      if (details.prompt.name === 'login') return provider.interactionFinished(req, res, { login: { accountId: form.get('account') ?? '' } }, { mergeWithLastSubmission: false })
      return consent(req, res, details)
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.end(
      details.prompt.name === 'login'
        ? page('单位身份认证', `<form method="post" action="${action}"><label for="account">账号</label> <input id="account" name="account" autocomplete="username" required> <button type="submit">登录</button></form>`)
        : page('授权', `<p>预算账本请求读取您的身份信息。</p><form method="post" action="${action}"><button type="submit">同意</button></form>`),
    )
  }
  const consent = async (req: IncomingMessage, res: ServerResponse, details: any) => {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id })
    grant.addOIDCScope(String(details.params.scope))
    grant.addOIDCClaims(details.prompt.details.missingOIDCClaims ?? [])
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true })
  }
  /** The login prompt signs in the chosen account; the consent prompt grants what was asked. */
  const interact = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res)
    if (details.prompt.name === 'login') return provider.interactionFinished(req, res, { login: { accountId: current } }, { mergeWithLastSubmission: false })
    return consent(req, res, details)
  }
  let built: Promise<any> | undefined
  const server = createServer(async (req, res) => {
    provider = await (built ??= build())
    if (req.url?.startsWith('/interaction/')) {
      ;(options.pages ? showPage : interact)(req, res).catch((e: Error) => {
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
  const client = (id: string) => ({
    client_id: id,
    client_secret: CLIENT_SECRET,
    application_type: 'native',
    redirect_uris: [redirect()],
    ...(options.afterSignOut ? { post_logout_redirect_uris: [options.afterSignOut()] } : {}),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })
  const build = async () => new Provider(issuer, {
    clients: [client('ledger'), client('other-app')],
    findAccount: async (_ctx: unknown, id: string) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles'] },
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      // The provider's own sign-out page: the person confirms with 退出, as at a real provider.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = page('退出单位身份认证', `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">退出</button>`)
        },
      },
    },
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
