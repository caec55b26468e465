import { afterEach, describe, expect, it } from 'vitest'
import type { Person } from '../src/identity/person'
import { SessionStore, csrfMatches } from '../src/identity/sessions'
import { SignInThrottle } from '../src/identity/sign-in-throttle'
import { cli } from './support/cli'
import { startServer, type TestServer } from './support/http'

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
