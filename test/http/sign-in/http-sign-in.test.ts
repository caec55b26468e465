import { describe, expect, it } from 'vitest'
import { addBody, serverForTests, type TestServer, YEAR_PATH } from '../../support/shells/http'
import { cli } from '../../support/shells/cli'
import { addPerson } from '../../support/shells/people'


/** Signs in over HTTP; the session cookie and the CSRF token the page would keep. */
export const signIn = async (t: TestServer, name: string, password: string) => {
  const r = await t.request('POST', '/auth/login', { body: { name, password } })
  expect(r.status).toBe(200)
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!
  return { cookie, csrf: r.body.csrfToken as string, reply: r }
}

describe('people sign in as themselves with a local account: a session cookie, CSRF-safe writes, events naming the person', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given 张三 (finance), when she signs in and records, then the cookie is httpOnly SameSite=Strict, and the event names her, her subject id and role, and the chain still verifies', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const { cookie, csrf, reply } = await signIn(t, '张三', person.password)
    const setCookie = reply.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^ledger_session=[A-Za-z0-9_-]{40,}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/)
    expect(reply.body).toMatchObject({ subject: person.id, name: '张三', role: 'finance', via: 'local' })

    const me = await t.request('GET', '/auth/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ subject: person.id, name: '张三', role: 'finance', csrfToken: csrf })

    const w = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie, 'x-csrf-token': csrf, origin: t.url }, body: addBody('10.00') })
    expect(w.status).toBe(201)
    const events = await t.store.readAll()
    const last = events.at(-1)!
    expect(last.metadata).toMatchObject({ actor: '张三', subject: person.id, role: 'finance' })
    // The fixture was recorded with a machine token: no subject, and the whole chain verifies.
    expect(events[0]!.metadata.actor).toBe('tester-finance')
    expect('subject' in events[0]!.metadata).toBe(false)
    const verified = await t.request('GET', '/api/audit/verify', { token: 'auditor' })
    expect(verified.body.ok).toBe(true)
    const history = await t.request('GET', `${YEAR_PATH}/events`, { headers: { cookie } })
    expect(history.status).toBe(200)
    expect(history.body.events.at(-1).metadata.subject).toBe(person.id)
  })

  it('given a session, when a write comes without the CSRF token, with a wrong one, or from another origin, then it is refused 403 and nothing is written', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const { cookie, csrf } = await signIn(t, '张三', person.password)
    const before = await t.eventCount()
    const none = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie }, body: addBody() })
    expect(none.status).toBe(403)
    expect(none.body.detail).toContain('X-CSRF-Token')
    const wrong = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` }, body: addBody() })
    expect(wrong.status).toBe(403)
    const foreign = await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' }, body: addBody() })
    expect(foreign.status).toBe(403)
    expect(foreign.body.detail).toContain('https://evil.example')
    expect(await t.eventCount()).toBe(before)
    // A bearer token needs no CSRF token: scripts are unaffected.
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody() })).status).toBe(201)
  })

  it('given a wrong password, an unknown name or a missing field, then sign-in is refused and no cookie is set; a form sign-in is answered 303 to the page with the cookie', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const wrong = await t.request('POST', '/auth/login', { body: { name: '张三', password: 'not-the-password' } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect((await t.request('POST', '/auth/login', { body: { name: '李四', password: person.password } })).status).toBe(401)
    const missing = await t.request('POST', '/auth/login', { body: { name: '张三' } })
    expect(missing.status).toBe(422)
    expect(missing.body.errors).toEqual([{ path: 'password', reason: 'required: non-empty text' }])
    const form = await fetch(`${t.url}/auth/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: '张三', password: person.password }).toString(),
    })
    expect(form.status).toBe(303)
    expect(form.headers.get('location')).toBe('/')
    const cookie = form.headers.get('set-cookie')!.split(';')[0]!
    expect((await t.request('GET', '/auth/me', { headers: { cookie } })).body.name).toBe('张三')
  })

  it('given a session, when the person signs out, then the cookie is cleared and the session no longer reads or writes', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const { cookie, csrf } = await signIn(t, '张三', person.password)
    expect((await t.request('POST', '/auth/logout', { headers: { cookie } })).status).toBe(403)
    const out = await t.request('POST', '/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^ledger_session=; Max-Age=0;/)
    expect((await t.request('GET', '/auth/me', { headers: { cookie } })).status).toBe(401)
    const read = await t.request('GET', YEAR_PATH, { headers: { cookie } })
    expect(read.status).toBe(401)
    expect(read.body.detail).toContain('sign in again')
  })

  it('given a signed-in person, when the account is revoked from the CLI, then the running server refuses the very next request and a new sign-in', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const { cookie } = await signIn(t, '张三', person.password)
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie } })).status).toBe(200)
    expect((await cli(['users', 'revoke', '张三'], { LEDGER_USERS_FILE: t.usersFile })).code).toBe(0)
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie } })).status).toBe(401)
    expect((await t.request('POST', '/auth/login', { body: { name: '张三', password: person.password } })).status).toBe(401)
  })

  it('given a dashboard reader and an administrator, then the reader reads summaries but not the history nor writes, and the administrator reads no budget', async () => {
    const reader = await addPerson(t, 'screen', 'dashboard')
    const r = await signIn(t, 'screen', reader.password)
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie: r.cookie } })).status).toBe(200)
    expect((await t.request('GET', `${YEAR_PATH}/events`, { headers: { cookie: r.cookie } })).status).toBe(403)
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { headers: { cookie: r.cookie, 'x-csrf-token': r.csrf }, body: addBody() })).status).toBe(403)
    const admin = await addPerson(t, 'admin-wang', 'admin')
    const a = await signIn(t, 'admin-wang', admin.password)
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie: a.cookie } })).status).toBe(403)
  })

  it('given an administrator, when she lists the people and revokes 张三, then the list shows roles and who is signed in, and 张三\'s session ends at once', async () => {
    const admin = await addPerson(t, 'admin-wang', 'admin')
    const zhang = await addPerson(t, '张三', 'finance')
    const a = await signIn(t, 'admin-wang', admin.password)
    const z = await signIn(t, '张三', zhang.password)
    const list = await t.request('GET', '/api/admin/users', { headers: { cookie: a.cookie } })
    expect(list.status).toBe(200)
    expect(list.body.accounts.map((x: any) => [x.name, x.role, x.revoked])).toEqual([
      ['admin-wang', 'admin', null],
      ['张三', 'finance', null],
    ])
    expect(JSON.stringify(list.body)).not.toContain('scrypt')
    expect(list.body.signedIn).toContainEqual({ subject: zhang.id, name: '张三', role: 'finance', via: 'local', sessions: 1 })

    const path = `/api/admin/users/${zhang.id}/revoke`
    expect((await t.request('POST', path, { headers: { cookie: a.cookie } })).status).toBe(403)
    const r = await t.request('POST', path, { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ revoked: { id: zhang.id, name: '张三' }, sessionsEnded: 1 })
    expect((await t.request('GET', YEAR_PATH, { headers: { cookie: z.cookie } })).status).toBe(401)
    const again = await t.request('POST', path, { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })
    expect(again.status).toBe(409)
    const unknown = await t.request('POST', '/api/admin/users/nobody/revoke', { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })
    expect(unknown.status).toBe(404)
    // The CLI reads the same file: the revocation is there.
    const cliList = JSON.parse((await cli(['users', 'list', '--json'], { LEDGER_USERS_FILE: t.usersFile })).stdout)
    expect(cliList.find((x: any) => x.id === zhang.id).revoked).toMatch(/^\d{4}-/)
  })

  it('given five wrong passwords for 张三, when the right one comes, then it is refused 429 with Retry-After, and another person still signs in', async () => {
    const zhang = await addPerson(t, '张三', 'finance')
    const li = await addPerson(t, '李四', 'finance')
    for (let i = 0; i < 5; i++) expect((await t.request('POST', '/auth/login', { body: { name: '张三', password: `guess-${i}` } })).status).toBe(401)
    const held = await t.request('POST', '/auth/login', { body: { name: '张三', password: zhang.password } })
    expect(held.status).toBe(429)
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(800)
    expect(held.headers.get('set-cookie')).toBeNull()
    expect((await t.request('POST', '/auth/login', { body: { name: '李四', password: li.password } })).status).toBe(200)
  })
})

describe('passwords: reset by the administrator or the CLI, changed by the person', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given 张三 signed in twice, when `users reset-password --name 张三` runs, then it prints a new password once, both sessions end at once, and only the new password signs in', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const first = await signIn(t, '张三', person.password)
    const second = await signIn(t, '张三', person.password)
    const r = await cli(['users', 'reset-password', '--name', '张三'], { LEDGER_USERS_FILE: t.usersFile })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^new password +[A-Za-z0-9_-]{24}$/)
    expect(lines[1]).toMatch(/^for +张三 \(finance\)$/)
    expect(lines.some((l) => /^sessions ended +2$/.test(l))).toBe(true)
    const password = lines[0]!.split(/ +/)[2]!
    for (const s of [first, second]) expect((await t.request('GET', '/auth/me', { headers: { cookie: s.cookie } })).status).toBe(401)
    expect((await t.request('POST', '/auth/login', { body: { name: '张三', password: person.password } })).status).toBe(401)
    await signIn(t, '张三', password)

    const unknown = await cli(['users', 'reset-password', '--name', '无名'], { LEDGER_USERS_FILE: t.usersFile })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('--name: no account is called or has the id "无名"')
  })

  it('given an administrator, when they reset 张三’s password over HTTP, then the answer carries it once, her session ends, and a dashboard reader may not do it', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const admin = await addPerson(t, 'admin-wang', 'admin')
    const reader = await addPerson(t, '李四', 'dashboard')
    const hers = await signIn(t, '张三', person.password)
    const a = await signIn(t, 'admin-wang', admin.password)
    const l = await signIn(t, '李四', reader.password)
    const refused = await t.request('POST', `/api/admin/users/${person.id}/reset-password`, { headers: { cookie: l.cookie, 'x-csrf-token': l.csrf } })
    expect(refused.status).toBe(403)
    expect((await t.request('GET', '/auth/me', { headers: { cookie: hers.cookie } })).status).toBe(200)
    const r = await t.request('POST', `/api/admin/users/${person.id}/reset-password`, { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ account: { id: person.id, name: '张三' }, sessionsEnded: 1 })
    expect(r.body.password).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect((await t.request('GET', '/auth/me', { headers: { cookie: hers.cookie } })).status).toBe(401)
    await signIn(t, '张三', r.body.password)
    const none = await t.request('POST', '/api/admin/users/nobody/reset-password', { headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } })
    expect(none.status).toBe(404)
  })

  it('given 张三 signed in on two browsers, when she changes her password with the old one, then this browser goes on in a new session, the other is signed out, and only the new password signs in; a wrong old one, a short new one or a missing CSRF token change nothing', async () => {
    const person = await addPerson(t, '张三', 'finance')
    const here = await signIn(t, '张三', person.password)
    const there = await signIn(t, '张三', person.password)
    const change = (body: unknown, headers: Record<string, string> = { cookie: here.cookie, 'x-csrf-token': here.csrf }) => t.request('POST', '/auth/password', { headers, body })
    const fresh = 'a new password of mine 2021'

    expect((await change({ oldPassword: person.password, newPassword: fresh }, { cookie: here.cookie })).status).toBe(403)
    const wrong = await change({ oldPassword: 'not-it', newPassword: fresh })
    expect(wrong.status).toBe(422)
    expect(wrong.body.errors).toEqual([{ path: 'oldPassword', reason: 'not the password now' }])
    const short = await change({ oldPassword: person.password, newPassword: 'short' })
    expect(short.status).toBe(422)
    expect(short.body.errors).toEqual([{ path: 'newPassword', reason: 'at least 12 characters' }])
    expect((await change({ oldPassword: person.password })).body.errors).toEqual([{ path: 'newPassword', reason: 'required: non-empty text' }])
    expect((await t.request('GET', '/auth/me', { headers: { cookie: there.cookie } })).status).toBe(200)

    const ok = await change({ oldPassword: person.password, newPassword: fresh })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ subject: person.id, name: '张三', role: 'finance' })
    const renewed = ok.headers.get('set-cookie')!.split(';')[0]!
    expect(renewed).not.toBe(here.cookie)
    expect((await t.request('GET', '/auth/me', { headers: { cookie: renewed } })).status).toBe(200)
    for (const old of [here, there]) expect((await t.request('GET', '/auth/me', { headers: { cookie: old.cookie } })).status).toBe(401)
    expect((await t.request('POST', '/auth/login', { body: { name: '张三', password: person.password } })).status).toBe(401)
    await signIn(t, '张三', fresh)
  })
})
