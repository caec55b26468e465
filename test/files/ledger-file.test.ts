import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/package-root'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { newEvent } from '../store/adapters/store-contract'
import { cli } from '../support/shells/cli'
import { send, spawnServer, stopServer, type Spawned } from '../support/shells/http'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The ledger's SQLite file: only a writing command creates it (a read names a missing file and
 * exits non-zero), a path that cannot be created fails at once, and what is created is private.
 * The built CLI and the real server run as child processes (`npm run build` first).
 */

const BIN = join(packageRoot(), 'dist', 'src', 'cli', 'main.js')
const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp' }

/** The built CLI in `cwd`; a run that does not end within the bound counts as hung (status null). */
const builtCli = (cwd: string, argv: string[], env: Record<string, string> = {}) => {
  const started = Date.now()
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...CLEAN_ENV, ...env }, encoding: 'utf8', timeout: 15_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started }
}

const mode = (path: string) => statSync(path).mode & 0o777

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const folder = () => {
  const db = tempDb('ledger-file-')
  cleanups.push(db.remove)
  return db
}

const HINT = 'check --db or LEDGER_DB, or run "budget-ledger sample" / "import" to create one'

describe('a command that only reads never creates a ledger', () => {
  it('given a mistyped --db, when the built CLI verifies it, then it names the missing file, exits 1 and leaves the folder empty', () => {
    const { dir } = folder()
    const r = builtCli(dir, ['--db', './ledgr.db', 'verify'])
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`budget-ledger: no ledger at ./ledgr.db (nothing was created); ${HINT}\n`)
    expect(r.status).toBe(1)
    expect(readdirSync(dir)).toEqual([])
  })

  const READS: string[][] = [
    ['verify'],
    ['digest'],
    ['table', '3'],
    ['report'],
    ['indicators'],
    ['indicators', '--explain', 'budget-adjustment'],
    ['history'],
    ['diff', '3', '--from', '2021-01-01'],
    ['explain', '3', '--row', '0', '--column', '2'],
    ['export', '--table', '3', '--format', 'csv'],
    ['what-if', '--command-json', '{"type":"SpendFromLine","data":{}}'],
  ]

  it.each(READS)('given no ledger at --db, when `%s` runs, then it is refused naming the path, and neither the file nor its folder is created', async (...argv) => {
    const { dir } = folder()
    const path = join(dir, 'missing', 'ledger.db')
    const r = await cli(['--db', path, ...argv])
    expect(r.stderr).toBe(`budget-ledger: no ledger at ${path} (nothing was created); ${HINT}\n`)
    expect(r.code).toBe(1)
    expect(readdirSync(dir)).toEqual([])
  })

  it('given LEDGER_DB naming a missing file, when a table is asked for, then it is refused the same way and nothing is created; once `sample` wrote it, the same read works and leaves the file as it was', async () => {
    const { dir, path } = folder()
    const r = await cli(['table', '3'], { LEDGER_DB: path })
    expect(r.stderr).toBe(`budget-ledger: no ledger at ${path} (nothing was created); ${HINT}\n`)
    expect(r.code).toBe(1)
    expect(readdirSync(dir)).toEqual([])
    expect((await cli(['sample'], { LEDGER_DB: path })).code).toBe(0)
    const before = readFileSync(path)
    const table = await cli(['table', '3'], { LEDGER_DB: path })
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('904.34')
    expect((await cli(['verify'], { LEDGER_DB: path })).stdout).toContain('every hash chain is intact')
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('given a file that is not a ledger, when it is verified, then the refusal says why and the file is left as it was', async () => {
    const { dir } = folder()
    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'not a database, just notes\n')
    const r = await cli(['--db', text, 'verify'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`budget-ledger: cannot use ${text} as a ledger: file is not a database\n`)
    const empty = join(dir, 'other.db')
    const other = new Database(empty)
    other.exec('CREATE TABLE t (x)')
    other.close()
    const e = await cli(['--db', empty, 'verify'])
    expect(e.stderr).toBe(`budget-ledger: cannot use ${empty} as a ledger: it has no events table\n`)
    expect(e.code).toBe(1)
    expect(readFileSync(text, 'utf8')).toBe('not a database, just notes\n')
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'other.db'])
  })
})

describe('a dry run only reads, and a refused budget file creates no ledger', () => {
  const year = ['--unit', '900001', '--year', '2021']
  const why = ['--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-05-01']
  const DRY_RUNS: string[][] = [
    ['open-year', ...year, '--name', '测试单位', '--reason', '测试'],
    ['allocate', ...year, '--line', 'p01', '--kind', 'project', '--project-name', '项目一', '--function-code', '2150502', '--amount', '1.00', '--reason', '测试'],
    ['add', ...year, '--line', 'p01', '--amount', '1.00', ...why],
    ['reduce', ...year, '--line', 'p01', '--amount', '1.00', ...why],
    ['transfer', ...year, '--from', 'p01', '--to', 'p02', '--amount', '1.00', ...why],
    ['spend', ...year, '--line', 'p01', '--amount', '1.00', '--voucher', '记-001', '--reason', '测试'],
    ['reverse', ...year, '--event', '00000000-0000-4000-8000-000000000000', ...why],
    ['set-earmark', ...year, '--earmark', 'officeOperating', '--amount', '1.00', '--reason', '测试'],
    ['close-year', ...year],
    ['open-next-year', ...year],
  ]

  it.each(DRY_RUNS)('given no ledger at --db, when the built CLI runs `%s … --dry-run`, then it says there is no ledger and neither the file nor its folder is created', (...argv) => {
    const { dir } = folder()
    const path = join(dir, 'books', 'ledger.db')
    const r = builtCli(dir, ['--db', path, ...argv, '--dry-run'])
    expect(r.stderr).toBe(`budget-ledger: no ledger at ${path} (nothing was created); ${HINT}\n`)
    expect(r.status).toBe(1)
    expect(readdirSync(dir)).toEqual([])
  })

  /** The sample budget file with `change` applied, as JSON text. */
  const sampleWith = (change: (f: Record<string, any>) => void): string => {
    const f = JSON.parse(readFileSync(join(packageRoot(), 'src', 'sample', 'budget-101065-2021.json'), 'utf8')) as Record<string, any>
    change(f)
    return JSON.stringify(f)
  }
  const BAD_FILES: Array<[string, (file: string) => void, string]> = [
    ['a file that does not exist', () => {}, 'ENOENT'],
    ['a file over the size limit', (file) => writeFileSync(file, Buffer.alloc(9 * 1024 * 1024, 0x20)), 'more than the'],
    ['a file that is not UTF-8', (file) => writeFileSync(file, Buffer.from([0x7b, 0xff, 0x7d])), 'UTF-8'],
    ['a file that is not JSON', (file) => writeFileSync(file, '{"format": '), 'not valid JSON'],
    ['a bad field', (file) => writeFileSync(file, sampleWith((f) => (f.lines[3].amount = '12,5'))), 'lines[3].amount: expected a decimal string'],
    ['a line id twice (a command of the file refused)', (file) => writeFileSync(file, sampleWith((f) => (f.lines[2].id = f.lines[1].id))), 'refused:'],
  ]

  it.each(BAD_FILES)('given no ledger at --db, when the built CLI imports %s, then the file is refused and no ledger is created', (_label, write, said) => {
    const { dir } = folder()
    const file = join(dir, 'budget.json')
    write(file)
    const path = join(dir, 'books', 'ledger.db')
    const r = builtCli(dir, ['--db', path, 'import', file])
    expect(r.stderr).toContain(said)
    expect(r.status).toBe(1)
    expect(existsSync(join(dir, 'books'))).toBe(false)
  })

  it('given a good file, the same import creates the ledger (0600) and records it', () => {
    const { dir } = folder()
    const file = join(dir, 'budget.json')
    writeFileSync(file, sampleWith(() => {}))
    const path = join(dir, 'books', 'ledger.db')
    const r = builtCli(dir, ['--db', path, 'import', file])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/events recorded\s+\d+/)
    expect(mode(path)).toBe(0o600)
  })
})

describe('a ledger path that cannot be created fails at once', () => {
  it('given --db under /proc (mkdir answers ENOENT for a parent that exists), when the built CLI records the sample, then it stops at once naming the folder', () => {
    const { dir } = folder()
    const r = builtCli(dir, ['--db', '/proc/nope/x.db', 'sample'])
    expect(r.stderr).toBe('budget-ledger: cannot use /proc/nope/x.db as a ledger: cannot create the folder /proc/nope (ENOENT)\n')
    expect(r.status).toBe(1)
    const read = builtCli(dir, ['--db', '/proc/nope/x.db', 'verify'])
    expect(read.stderr).toBe(`budget-ledger: no ledger at /proc/nope/x.db (nothing was created); ${HINT}\n`)
    expect(read.status).toBe(1)
  })

  it('given LEDGER_DB under /proc, when the server starts, then it exits 1 at once naming the folder', async () => {
    const { dir } = folder()
    const child = spawn(process.execPath, ['--import', join(packageRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(packageRoot(), 'src', 'http', 'server', 'main.ts')], {
      cwd: dir,
      env: { ...CLEAN_ENV, PORT: '0', LEDGER_DB: '/proc/nope/x.db' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t))
    child.stderr.setEncoding('utf8').on('data', (t: string) => (out += t))
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    clearTimeout(killer)
    expect(out).toContain('budget-ledger: cannot start: cannot use /proc/nope/x.db as a ledger: cannot create the folder /proc/nope (ENOENT)')
    expect(code).toBe(1)
  })
})

describe('a tokens file path that cannot be created fails at once', () => {
  it('given LEDGER_TOKENS_FILE under /proc (mkdir answers ENOENT for a parent that exists), when the server starts, then it exits at once naming the path, and creates no ledger', async () => {
    const { dir } = folder()
    const failed = await spawnServer(dir, { LEDGER_TOKENS_FILE: '/proc/nope/t.json', LEDGER_DB: join(dir, 'ledger.db') }).then(
      async (s) => {
        await stopServer(s)
        return 'started'
      },
      (err: Error) => err.message,
    )
    expect(failed).toContain('budget-ledger: cannot start: cannot create /proc/nope/t.json: cannot create the folder /proc/nope (ENOENT)')
    expect(readdirSync(dir)).toEqual([])
  }, 20_000)
})

describe('the ledger file is private to its owner', () => {
  it('given a --db in folders that do not exist, when the built CLI records the sample, then the folders are 0700 and the file 0600; its -wal and -shm are 0600 while a writer has it open', async () => {
    const { dir } = folder()
    const r = builtCli(dir, ['--db', 'books/2021/ledger.db', 'sample'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const path = join(dir, 'books', '2021', 'ledger.db')
    expect(mode(join(dir, 'books'))).toBe(0o700)
    expect(mode(join(dir, 'books', '2021'))).toBe(0o700)
    expect(mode(path)).toBe(0o600)
    const store = new SqliteEventStore(path)
    try {
      await store.append('budget-1-2021', [newEvent()], 'no_stream')
      for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(mode(f), f).toBe(0o600)
    } finally {
      await store.close()
    }
  })

  it('given a fresh folder, when the server starts, then its data folder is 0700 (though the tokens file is made before the ledger) and the tokens file, the ledger file, its -wal and its -shm are 0600', async () => {
    const { dir } = folder()
    const server: Spawned = await spawnServer(dir)
    cleanups.push(() => stopServer(server))
    expect((await send(server.url, 'GET', '/health')).status).toBe(200)
    const path = join(dir, 'data', 'ledger.db')
    for (const f of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(f), f).toBe(true)
      expect(mode(f), f).toBe(0o600)
    }
    // The tokens file is made first: its folder, shared with the ledger, must be as private as the ledger makes it.
    expect(mode(join(dir, 'data'))).toBe(0o700)
    expect(mode(join(dir, 'data', 'tokens.json'))).toBe(0o600)
  })
})
