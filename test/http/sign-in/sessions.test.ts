import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Person } from '../../../src/identity/sessions/person'
import { SessionStore, csrfMatches } from '../../../src/identity/sessions/sessions'
import { SignInThrottle } from '../../../src/identity/accounts/sign-in-throttle'
import { cli } from '../../support/shells/cli'
import { TOKEN_ENTRIES, send, spawnServer, type Spawned, startServer, stopServer, type TestServer } from '../../support/shells/http'

const person = (subject: string): Person => ({ subject, name: subject, role: 'finance', via: 'local' })

describe('sessions: server-side, expiring, bounded', () => {
  it('given a session, when its eight hours pass, then it is gone; before, it is found with its own CSRF token', () => {
    let now = new Date('2026-01-05T09:00:00Z')
    const store = new SessionStore(() => now)
    const s = store.start(person('a'))
    expect(store.find(s.id)?.person.subject).toBe('a')
    expect(csrfMatches(s, s.csrf)).toBe(true)
    expect(csrfMatches(s, s.id)).toBe(false)
    expect(csrfMatches(s, undefined)).toBe(false)
    now = new Date('2026-01-05T16:59:59Z')
    expect(store.find(s.id)).toBeDefined()
    now = new Date('2026-01-05T17:00:00Z')
    expect(store.find(s.id)).toBeUndefined()
  })

  it('given the bound is reached, when one more signs in, then the oldest session ends; revoking a person ends all of theirs', () => {
    const store = new SessionStore(undefined, 8, 3)
    const first = store.start(person('a'))
    const second = store.start(person('b'))
    store.start(person('b'))
    store.start(person('c'))
    expect(store.find(first.id)).toBeUndefined()
    expect(store.people().map((p) => [p.person.subject, p.sessions])).toEqual([
      ['b', 2],
      ['c', 1],
    ])
    expect(store.endFor('b')).toBe(2)
    expect(store.find(second.id)).toBeUndefined()
  })
})

describe('sessions kept in a file: a restart signs nobody out', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('given a session started by one store, then another store on the same file (a restarted or second server) finds it; the file (0600) holds neither the id nor the CSRF token; an end in one is an end in the other', () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sessions-'))
    const file = join(dir, 'private', 'sessions.json')
    const first = new SessionStore(undefined, 8, 100, file)
    const s = first.start(person('a'))
    const kept = first.start(person('b'))
    const second = new SessionStore(undefined, 8, 100, file)
    expect(second.find(s.id)).toEqual(s)
    expect(second.find(s.id + 'x')).toBeUndefined()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(s.id)
    expect(text).not.toContain(s.csrf)
    expect(JSON.parse(text)).toHaveLength(2)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'private')).mode & 0o777).toBe(0o700)
    second.end(s.id)
    expect(first.find(s.id)).toBeUndefined()
    expect(first.find(kept.id)?.person.subject).toBe('b')
    expect(first.endFor('b')).toBe(1)
    expect(second.people()).toEqual([])
  })

  it('given sessions in the file, when their hours pass or the bound is reached, then they are gone from the file too', () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sessions-'))
    const file = join(dir, 'sessions.json')
    let now = new Date('2026-01-05T09:00:00Z')
    const store = new SessionStore(() => now, 8, 3, file)
    const oldest = store.start(person('a'))
    for (const p of ['b', 'c', 'd']) store.start(person(p))
    expect(store.find(oldest.id)).toBeUndefined()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(3)
    now = new Date('2026-01-05T17:00:00Z')
    const late = store.start(person('e'))
    expect(JSON.parse(readFileSync(file, 'utf8')).map((s: { person: Person }) => s.person.subject)).toEqual(['e'])
    expect(new SessionStore(() => now, 8, 3, file).find(late.id)?.person.subject).toBe('e')
  })
})

describe('sessions across real server processes on the same files', () => {
  let dir: string
  let servers: Spawned[] = []
  afterEach(async () => {
    await Promise.all(servers.map(stopServer))
    servers = []
    rmSync(dir, { recursive: true, force: true })
  })

  it('given 张三 signed in at a server, when it restarts, then her cookie still opens her session and her CSRF token still signs her out; with two servers, a sign-out or revocation at one ends the session at the other at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-restart-'))
    const env = { LEDGER_DB: join(dir, 'ledger.db'), LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), LEDGER_USERS_FILE: join(dir, 'data', 'users.json') }
    const added = JSON.parse((await cli(['users', 'add', '--name', '张三', '--role', 'finance', '--json'], env)).stdout)
    const signIn = async (url: string) => {
      const r = await send(url, 'POST', '/auth/login', { body: { name: '张三', password: added.password } })
      expect(r.status).toBe(200)
      return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: r.body.csrfToken as string }
    }
    const me = (url: string, cookie: string) => send(url, 'GET', '/auth/me', { headers: { cookie } })

    servers = [await spawnServer(dir, env)]
    const a = await signIn(servers[0]!.url)
    await stopServer(servers[0]!)
    servers = [await spawnServer(dir, env)]
    expect(servers[0]!.output()).toContain('1 signed in')
    const after = await me(servers[0]!.url, a.cookie)
    expect(after.status).toBe(200)
    expect(after.body).toMatchObject({ name: '张三', subject: added.id, csrfToken: a.csrf })

    servers.push(await spawnServer(dir, env))
    const [one, two] = servers.map((s) => s.url) as [string, string]
    expect((await me(two, a.cookie)).status).toBe(200)
    expect((await send(one, 'POST', '/auth/logout', { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })).status).toBe(204)
    expect((await me(two, a.cookie)).status).toBe(401)

    const b = await signIn(two)
    expect((await me(one, b.cookie)).status).toBe(200)
    expect((await cli(['users', 'revoke', '张三'], env)).code).toBe(0)
    expect((await me(one, b.cookie)).status).toBe(401)
    expect((await me(two, b.cookie)).status).toBe(401)
  }, 120_000)
})

describe('sign-in throttle: wrong passwords per name', () => {
  it('given five failures within 15 minutes, then the name waits until the oldest is 15 minutes old; a success forgets them', () => {
    let now = 0
    const throttle = new SignInThrottle(() => now)
    for (let i = 0; i < 5; i++) {
      expect(throttle.waitFor('张三')).toBe(0)
      throttle.failed('张三')
      now += 60_000
    }
    expect(throttle.waitFor('张三')).toBe(10 * 60)
    expect(throttle.waitFor('李四')).toBe(0)
    now = 15 * 60_000 + 1
    expect(throttle.waitFor('张三')).toBe(0)
    throttle.failed('张三')
    throttle.succeeded('张三')
    now += 1
    for (let i = 0; i < 4; i++) throttle.failed('张三')
    expect(throttle.waitFor('张三')).toBe(0)
  })
})

describe('the session cookie behind a TLS proxy', () => {
  let t: TestServer | undefined
  afterEach(async () => {
    await t?.close()
  })

  it('given LEDGER_TRUST_PROXY=loopback and X-Forwarded-Proto: https, then the cookie is Secure; without the proxy setting, the header is not believed', async () => {
    for (const [trustProxy, secure] of [['loopback', true], [undefined, false]] as const) {
      t = await startServer(trustProxy ? { trustProxy } : {})
      const added = JSON.parse((await cli(['users', 'add', '--name', '张三', '--role', 'finance', '--json'], { LEDGER_USERS_FILE: t.usersFile })).stdout)
      const r = await t.request('POST', '/auth/login', { body: { name: '张三', password: added.password }, headers: { 'x-forwarded-proto': 'https' } })
      expect(r.status).toBe(200)
      expect(r.headers.get('set-cookie')!.endsWith('; Secure')).toBe(secure)
      await t.close()
      t = undefined
    }
  })
})
