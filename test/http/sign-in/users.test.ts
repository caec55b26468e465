import { spawn } from 'node:child_process'
import { readFileSync, statSync, existsSync, writeFileSync, unlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../../src/identity/accounts/password'
import { cli, cliProcess } from '../../support/shells/cli'
import { tempDb } from '../../support/ledgers/temp-db'

describe('passwords, kept only as slow hashes', () => {
  it('given a hash, when the same password or another is checked, then only the same one matches, and each hash has its own salt and cost', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('correct')
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterz', a)).toBe(false)
    expect(await verifyPassword('correct horse battery', 'sha256:abc')).toBe(false)
  })
})

describe('budget-ledger users: named local accounts in LEDGER_USERS_FILE', () => {
  let dir: ReturnType<typeof tempDb>
  let env: NodeJS.ProcessEnv
  let file: string
  beforeEach(() => {
    dir = tempDb('ledger-users-')
    file = join(dir.dir, 'private', 'users.json')
    env = { LEDGER_USERS_FILE: file }
  })
  afterEach(() => dir.remove())

  it('given no file, when a person is added, then a password is shown once and the file (0600, folder 0700) keeps only its scrypt hash', async () => {
    const r = await cli(['users', 'add', '--name', '张三', '--role', 'finance', '--json'], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const added = JSON.parse(r.stdout)
    expect(added).toMatchObject({ name: '张三', role: 'finance', revoked: null, file })
    expect(added.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(added.password.length).toBeGreaterThanOrEqual(20)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(added.password)
    const kept = JSON.parse(text)
    expect(kept).toHaveLength(1)
    expect(kept[0].password).toMatch(/^scrypt\$/)
    expect(await verifyPassword(added.password, kept[0].password)).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir.dir, 'private')).mode & 0o777).toBe(0o700)
  })

  it('given two people, when listed, then text is aligned and labelled, JSON has name, subject id, role, created and revoked, and no password hash', async () => {
    await cli(['users', 'add', '--name', '张三', '--role', 'finance'], env)
    await cli(['users', 'add', '--name', 'auditor-li', '--role', 'auditor'], env)
    const text = await cli(['users', 'list'], env)
    expect(text.code).toBe(0)
    const lines = text.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^name +role +subject id +created +revoked$/)
    expect(lines).toHaveLength(3)
    // The role column starts at the same display column on every line (张三 is 4 columns wide).
    expect(lines[1]!.indexOf(' finance ') + 2).toBe(lines[2]!.indexOf(' auditor '))
    const list = JSON.parse((await cli(['users', 'list', '--json'], env)).stdout)
    expect(list.map((a: any) => Object.keys(a).sort())).toEqual([
      ['created', 'id', 'name', 'revoked', 'role'],
      ['created', 'id', 'name', 'revoked', 'role'],
    ])
    expect(JSON.stringify(list)).not.toContain('scrypt')
  })

  it('given a person, when revoked by name, then the list shows when, a second revoke is refused, and the name may be given to someone new', async () => {
    const added = JSON.parse((await cli(['users', 'add', '--name', '张三', '--role', 'finance', '--json'], env)).stdout)
    const r = await cli(['users', 'revoke', '张三', '--json'], env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ id: added.id, name: '张三' })
    const again = await cli(['users', 'revoke', added.id], env)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already revoked')
    const list = JSON.parse((await cli(['users', 'list', '--json'], env)).stdout)
    expect(list[0].revoked).toMatch(/^\d{4}-\d\d-\d\dT/)
    const reused = await cli(['users', 'add', '--name', '张三', '--role', 'auditor', '--json'], env)
    expect(reused.code).toBe(0)
    expect(JSON.parse(reused.stdout).id).not.toBe(added.id)
  })

  it('given an active 张三, when another 张三 or an unknown role is added, then it is refused naming the option, and nothing is written', async () => {
    await cli(['users', 'add', '--name', '张三', '--role', 'finance'], env)
    const before = readFileSync(file, 'utf8')
    const twice = await cli(['users', 'add', '--name', '张三', '--role', 'auditor'], env)
    expect(twice.code).toBe(1)
    expect(twice.stderr).toContain('--name')
    const role = await cli(['users', 'add', '--name', '李四', '--role', 'boss'], env)
    expect(role.code).not.toBe(0)
    expect(role.stderr).toMatch(/--role/)
    expect(readFileSync(file, 'utf8')).toBe(before)
    const unknown = await cli(['users', 'revoke', 'nobody'], env)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('"nobody"')
    expect(existsSync(`${file}.tmp`)).toBe(false)
  })
})

/** A process of its own running a test/support/shells script under tsx; resolves with its exit code and stderr. */
const node = (script: string, args: string[]): Promise<{ code: number | null; stderr: string }> =>
  new Promise((done) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '..', '..', 'support', 'shells', script), ...args], { cwd: join(__dirname, '..', '..', '..'), stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.on('close', (code) => done({ code, stderr }))
  })

describe('the users file under a lock: the CLI and a running server writing at the same instant', () => {
  let dir: ReturnType<typeof tempDb>
  let file: string
  beforeEach(() => {
    dir = tempDb('ledger-users-lock-')
    file = join(dir.dir, 'users.json')
  })
  afterEach(() => dir.remove())

  it('given two processes each adding 40 people as fast as they can, then all 80 are in the file and no lock or temp file is left', async () => {
    const [a, b] = await Promise.all([node('users-writer.ts', [file, 'a', '40']), node('users-writer.ts', [file, 'b', '40'])])
    expect(a).toEqual({ code: 0, stderr: '' })
    expect(b).toEqual({ code: 0, stderr: '' })
    const names = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string }>).map((p) => p.name)
    expect(names).toHaveLength(80)
    expect(new Set(names).size).toBe(80)
    expect(existsSync(`${file}.lock`)).toBe(false)
  }, 60_000)

  it('given a lock left by a process that died, then the CLI takes it over; given a lock held by a live process, the CLI waits for it and then writes', async () => {
    const dead = spawn(process.execPath, ['-e', ''])
    await new Promise((r) => dead.on('close', r))
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), at: new Date().toISOString() }))
    const first = await cliProcess(['users', 'add', '--name', '张三', '--role', 'finance'], { LEDGER_USERS_FILE: file })
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(existsSync(`${file}.lock`)).toBe(false)

    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }))
    const started = Date.now()
    const waiting = cliProcess(['users', 'add', '--name', '李四', '--role', 'auditor'], { LEDGER_USERS_FILE: file })
    await new Promise((r) => setTimeout(r, 2500))
    // Still held: nothing written yet.
    expect(readFileSync(file, 'utf8')).not.toContain('李四')
    unlinkSync(`${file}.lock`)
    const second = await waiting
    expect(second.code).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500)
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string }>).map((p) => p.name)).toEqual(['张三', '李四'])
  }, 60_000)
})
