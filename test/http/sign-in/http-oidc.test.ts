import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OidcSignIn } from '../../../src/identity/oidc/oidc'
import { type OidcSettings, nameFromClaims, oidcSettings, roleFromClaims } from '../../../src/identity/oidc/oidc-settings'
import { cli } from '../../support/shells/cli'
import { addBody, startServer, type TestServer, YEAR_PATH } from '../../support/shells/http'
import { browserSignIn, CLIENT_SECRET, startProvider, type TestProvider } from '../../support/shells/oidc-provider'

const ACCOUNTS = {
  zhang: { name: '张三', preferred_username: 'zhangsan', roles: ['finance'] },
  li: { preferred_username: 'lisi' },
}

describe('sign-in through a real OpenID provider (oidc-provider on a loopback port): code flow with PKCE, role from a claim', () => {
  const redirect = new URL('http://127.0.0.1/auth/oidc/callback')
  let provider: TestProvider
  const ledgers: TestServer[] = []
  /** A ledger with its own sign-in settings; its port becomes the provider's redirect URI. */
  const ledger = async (overrides: Partial<OidcSettings> = {}) => {
    const settings: OidcSettings = { issuer: new URL(provider.issuer), clientId: 'ledger', clientSecret: CLIENT_SECRET, redirectUri: redirect, roleClaim: 'roles', roleMap: { finance: 'finance', auditor: 'auditor' }, ...overrides }
    const t = await startServer({ fixture: true, oidc: new OidcSignIn(settings) })
    redirect.port = new URL(t.url).port
    ledgers.push(t)
    return t
  }
  const cookieOf = (r: Response) => r.headers.getSetCookie().find((c) => c.startsWith('ledger_session='))?.split(';')[0]

  beforeAll(async () => {
    provider = await startProvider(ACCOUNTS, () => redirect.href)
  })
  afterAll(async () => {
    for (const t of ledgers) {
      expect(t.logged).toEqual([])
      await t.close()
    }
    await provider.close()
  })

  it('given 张三 with the finance role claim, when she signs in and records, then her session is hers and the event names her and her issuer|sub; signing out names the provider’s end-session address', async () => {
    const t = await ledger()
    provider.signInAs('zhang')
    const back = await browserSignIn(t.url)
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe('/')
    const cookie = cookieOf(back)!
    expect(cookie).toBeDefined()
    const me = await t.request('GET', '/auth/me', { headers: { cookie } })
    expect(me.body).toMatchObject({ subject: `${provider.issuer}|zhang`, name: '张三', role: 'finance', via: 'oidc' })
    const w = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie, 'x-csrf-token': me.body.csrfToken }, body: addBody('3.00') })
    expect(w.status).toBe(201)
    expect((await t.store.readAll()).at(-1)!.metadata).toMatchObject({ actor: '张三', subject: `${provider.issuer}|zhang`, role: 'finance' })

    const out = await t.request('POST', '/auth/logout', { headers: { cookie, 'x-csrf-token': me.body.csrfToken } })
    // Signed out here, and sent on to the provider's end_session_endpoint to sign out there too, then back to the page.
    expect(out.status).toBe(200)
    const end = new URL(out.body.endSession)
    expect(end.href.startsWith(`${provider.issuer}/session/end`)).toBe(true)
    expect(Object.fromEntries(end.searchParams)).toEqual({ client_id: 'ledger', post_logout_redirect_uri: `${t.url}/` })
    expect((await t.request('GET', '/auth/me', { headers: { cookie } })).status).toBe(401)
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie } })).status).toBe(401)
  })

  it('given 李四 with no role claim, when he signs in, then he is known by preferred_username but refused writes and the history', async () => {
    const t = await ledger()
    provider.signInAs('li')
    const back = await browserSignIn(t.url)
    expect(back.status).toBe(303)
    const cookie = cookieOf(back)!
    const me = await t.request('GET', '/auth/me', { headers: { cookie } })
    expect(me.body).toMatchObject({ name: 'lisi', role: null })
    const before = await t.eventCount()
    const w = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie, 'x-csrf-token': me.body.csrfToken }, body: addBody() })
    expect(w.status).toBe(403)
    expect(w.body.detail).toContain('without a ledger role')
    expect((await t.request('GET', `${YEAR_PATH}/events`, { headers: { cookie } })).status).toBe(403)
    expect(await t.eventCount()).toBe(before)
  })

  it("given a ledger whose clock is two hours ahead, when the provider's ID token comes back, then it is refused as expired and no session starts", async () => {
    const t = await ledger({ clockSkew: 2 * 3600 })
    provider.signInAs('zhang')
    const back = await browserSignIn(t.url)
    expect(back.status).toBe(401)
    expect(cookieOf(back)).toBeUndefined()
    expect(JSON.parse(await back.text()).detail).toMatch(/refused.*(exp|expired|timestamp)/i)
  })

  it('given a ledger that presents another client id than the one it holds the secret of, then the sign-in is refused and no session starts', async () => {
    const t = await ledger({ clientId: 'other-app', clientSecret: 'not-the-secret-of-other-app-000000' })
    provider.signInAs('zhang')
    const back = await browserSignIn(t.url)
    expect(back.status).toBe(401)
    expect(cookieOf(back)).toBeUndefined()
    expect(JSON.parse(await back.text()).detail).toMatch(/invalid_client/)
  })

  it('given 张三 signed in through the provider, when an administrator revokes her subject, then her session ends at once and she cannot sign in again', async () => {
    const t = await ledger()
    const admin = JSON.parse((await cli(['users', 'add', '--name', 'admin-wang', '--role', 'admin', '--json'], { LEDGER_USERS_FILE: t.usersFile })).stdout)
    const signedIn = await t.request('POST', '/auth/login', { body: { name: 'admin-wang', password: admin.password } })
    const a = { cookie: signedIn.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': signedIn.body.csrfToken }
    provider.signInAs('zhang')
    const cookie = cookieOf(await browserSignIn(t.url))!
    const subject = `${provider.issuer}|zhang`
    const r = await t.request('POST', `/api/admin/users/${encodeURIComponent(subject)}/revoke`, { headers: a })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ revoked: { id: subject, name: '张三' }, sessionsEnded: 1 })
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie } })).status).toBe(401)
    const back = await browserSignIn(t.url)
    expect(back.status).toBe(403)
    expect(cookieOf(back)).toBeUndefined()
  })

  it('given an authorization made out to another client of the same provider, when its code comes back to the ledger, then the sign-in is refused and no session starts', async () => {
    const t = await ledger()
    provider.signInAs('zhang')
    const back = await browserSignIn(t.url, (authorization) => authorization.searchParams.set('client_id', 'other-app'))
    expect(back.status).toBe(401)
    expect(cookieOf(back)).toBeUndefined()
    // The code was issued to other-app: the provider will not give it to the ledger's client.
    expect(JSON.parse(await back.text()).detail).toMatch(/refused.*invalid_grant/)
  })

  it('given no sign-in under way in this browser, when the callback is called with a code, then it is refused', async () => {
    const t = await ledger()
    const r = await t.request('GET', '/auth/oidc/callback?code=abc&state=made-up')
    expect(r.status).toBe(401)
    expect(r.body.detail).toContain('no sign-in is under way')
  })
})

describe('LEDGER_OIDC_* settings and roles from claims', () => {
  const base = { LEDGER_OIDC_ISSUER: 'https://id.example.gov.cn', LEDGER_OIDC_CLIENT_ID: 'ledger', LEDGER_OIDC_REDIRECT_URI: 'https://ledger.example.gov.cn/auth/oidc/callback' }

  it('given none set, then there is no such sign-in; given a part of them, then the missing or wrong variable is named', () => {
    expect(oidcSettings({})).toBeUndefined()
    expect(() => oidcSettings({ LEDGER_OIDC_CLIENT_ID: 'x' })).toThrow(/LEDGER_OIDC_CLIENT_ID is set but LEDGER_OIDC_ISSUER is not/)
    expect(() => oidcSettings({ ...base, LEDGER_OIDC_REDIRECT_URI: '' })).toThrow(/LEDGER_OIDC_REDIRECT_URI is required/)
    expect(() => oidcSettings({ ...base, LEDGER_OIDC_ISSUER: 'not a url' })).toThrow(/LEDGER_OIDC_ISSUER: expected an absolute URL/)
    expect(() => oidcSettings({ ...base, LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI: '/page' })).toThrow(/LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI: expected an absolute URL/)
    expect(oidcSettings({ ...base, LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI: 'https://ledger.example.gov.cn/' })!.postLogoutRedirectUri!.href).toBe('https://ledger.example.gov.cn/')
    expect(() => oidcSettings({ ...base, LEDGER_OIDC_ROLE_MAP: '{"fin":"boss"}' })).toThrow(/LEDGER_OIDC_ROLE_MAP.fin: expected one of finance, auditor, dashboard, admin/)
    expect(oidcSettings(base)).toMatchObject({ clientId: 'ledger', roleClaim: 'roles', roleMap: { finance: 'finance', admin: 'admin' } })
  })

  it('given a role claim as a string, an array, mapped names or nothing the ledger knows, then the role follows the map, first finance, then auditor, dashboard, admin', () => {
    const s = oidcSettings({ ...base, LEDGER_OIDC_ROLE_CLAIM: 'groups', LEDGER_OIDC_ROLE_MAP: '{"财务处":"finance","审计处":"auditor"}' })!
    expect(roleFromClaims({ groups: '审计处' }, s)).toBe('auditor')
    expect(roleFromClaims({ groups: ['审计处', '财务处'] }, s)).toBe('finance')
    expect(roleFromClaims({ groups: ['finance'] }, s)).toBeNull()
    expect(roleFromClaims({ roles: ['财务处'] }, s)).toBeNull()
    expect(nameFromClaims({ sub: 'u1', preferred_username: 'lisi' })).toBe('lisi')
  })
})
