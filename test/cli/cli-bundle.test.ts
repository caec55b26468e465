import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Script } from 'node:vm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/package-root'
import { cli } from '../support/shells/cli'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * The CLI users run is the built bundle (dist/bundles/cli.js, scripts/bundle.ts; npm run build
 * first), started by dist/budget-ledger.js with its compiled code cached (src/start/): it finds
 * its data files from the package root and loads the heavy packages only for the commands that
 * need them (docs/speed.md, "Cold start").
 */
const ROOT = packageRoot()

/** The package as installed elsewhere: package.json, the built entry and bundle, the data files of src/, node_modules. */
const installedCopy = (dir: string): string => {
  const copy = join(dir, 'installed')
  mkdirSync(join(copy, 'dist', 'bundles'), { recursive: true })
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'))
  for (const built of ['budget-ledger.js', 'bundles/cli.js']) cpSync(join(ROOT, 'dist', built), join(copy, 'dist', built))
  for (const data of ['reference', 'sample', 'export']) cpSync(join(ROOT, 'src', data), join(copy, 'src', data), { recursive: true })
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
  return copy
}

const node = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the built CLI bundle', () => {
  let db: ReturnType<typeof tempDb>
  // As of a moment after the sample was recorded: the snapshots and the tail fold are used.
  let TABLE_3: string[]
  beforeEach(async () => {
    db = tempDb('ledger-cli-bundle-')
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    TABLE_3 = ['table', '3', '--unit', '101065', '--year', '2021', '--as-of', new Date().toISOString(), '--format', 'json']
  })
  afterEach(() => db.remove())

  it('given the package copied to another folder (package.json, the bundle, src data files), when it answers table 3 there, then it is the in-process answer', async () => {
    const copy = installedCopy(db.dir)

    const there = node([join(copy, 'dist', 'budget-ledger.js'), '--db', db.path, ...TABLE_3], db.dir)

    expect(there.stderr).toBe('')
    expect(there.code).toBe(0)
    expect(there.stdout).toBe((await cli(['--db', db.path, ...TABLE_3])).stdout)
    expect(JSON.parse(there.stdout)).toMatchObject({ number: 3, unitCode: '101065', year: 2021 })
  })

  it('given a ledger, when the bundle answers table 3 as of an instant, then it loaded the entry (which runs the bundle) and none of exceljs, prom-client, express, pino, nor any file of the SQLite driver but its addon, nor the worker threads of node', () => {
    const loaded = join(db.dir, 'loaded.json')
    const probe = join(db.dir, 'probe.cjs')
    const builtins = join(db.dir, 'builtins.json')
    writeFileSync(
      probe,
      `process.on('exit', () => { require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))); require('node:fs').writeFileSync(${JSON.stringify(builtins)}, JSON.stringify(process.moduleLoadList)) })\n`,
    )

    const r = node(['--require', probe, join(ROOT, 'dist', 'budget-ledger.js'), '--db', db.path, ...TABLE_3], db.dir)

    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ number: 3 })
    const files = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).filter((f) => f !== probe)
    const ours = files.filter((f) => !f.includes(`${ROOT}/node_modules/`) && f.startsWith(ROOT))
    // The export header layout is a plain script the dashboard also loads (src/export/layout.ts).
    expect(ours.sort()).toEqual([join(ROOT, 'dist', 'budget-ledger.js'), join(ROOT, 'src', 'export', 'header-layout.js')])
    const packages = new Set(files.filter((f) => f.includes('/node_modules/')).map((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)![1]))
    for (const heavy of ['exceljs', 'prom-client', 'express', 'pino']) expect(packages).not.toContain(heavy)
    // The SQLite driver's JavaScript is in the bundle: of it only the compiled addon is loaded, by its path, without `bindings` searching for it (src/store/sqlite/sqlite-driver.ts).
    expect(files.filter((f) => f.includes('/better-sqlite3/'))).toEqual([expect.stringMatching(/\/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/)])
    expect(packages).not.toContain('bindings')
    // Nor node's worker threads: it starts none (src/worker-thread.ts requires them when it does).
    const natives = JSON.parse(readFileSync(builtins, 'utf8')) as string[]
    expect(natives).toContain('NativeModule fs')
    expect(natives).not.toContain('NativeModule worker_threads')
  })

  it('given a first run kept the compiled code beside the bundle, when the cache is used, garbled, or unwritable, then the answer is the same each time and a garbled cache is replaced', () => {
    const copy = installedCopy(db.dir)
    const entry = join(copy, 'dist', 'budget-ledger.js')
    const cacheDir = join(copy, 'dist', 'bundles', 'code-cache')
    const answer = () => {
      const r = node([entry, '--db', db.path, ...TABLE_3], db.dir)
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      return r.stdout
    }
    const first = answer()
    const [cache] = readdirSync(cacheDir)
    expect(cache).toMatch(/^cli-[0-9a-f]{16}\.bin$/)
    const kept = readFileSync(join(cacheDir, cache!))
    expect(kept.length).toBeGreaterThan(10_000)

    // Used: V8 accepted it, so it is not rewritten.
    expect(answer()).toBe(first)
    expect(readFileSync(join(cacheDir, cache!)).equals(kept)).toBe(true)

    writeFileSync(join(cacheDir, cache!), 'not V8 code')
    expect(answer()).toBe(first)
    expect(readFileSync(join(cacheDir, cache!)).length).toBeGreaterThan(10_000)

    rmSync(cacheDir, { recursive: true })
    writeFileSync(cacheDir, 'a file where the folder should be: the cache cannot be written')
    expect(answer()).toBe(first)
  })

  it('given a cached bundle replaced by another of the same length and the same mtime, when the entry runs it, then the new code runs, not the cached old one', () => {
    // Why the key must follow the file and not only its size and mtime: V8 checks a cache against the source's length only.
    const compiled = new Script('"AAAA".toLowerCase()', { filename: 'same-length.js' })
    const stale = new Script('"BBBB".toLowerCase()', { filename: 'same-length.js', cachedData: compiled.createCachedData() })
    expect(stale.cachedDataRejected).toBe(false)
    expect(stale.runInThisContext()).toBe('aaaa')

    const copy = installedCopy(db.dir)
    const entry = join(copy, 'dist', 'budget-ledger.js')
    const bundle = join(copy, 'dist', 'bundles', 'cli.js')
    const cacheDir = join(copy, 'dist', 'bundles', 'code-cache')
    const install = (text: string) => {
      writeFileSync(bundle, text)
      utimesSync(bundle, new Date('1985-10-26T08:15:00Z'), new Date('1985-10-26T08:15:00Z')) // as npm sets every packed file's
    }
    const run = () => {
      const r = node([entry], db.dir)
      expect(r.stderr).toBe('')
      return r.stdout
    }
    install('process.stdout.write("AAAA")')
    expect(run()).toBe('AAAA')
    expect(readdirSync(cacheDir)).toHaveLength(1)
    expect(run()).toBe('AAAA')

    const { size, mtimeMs } = statSync(bundle)
    install('process.stdout.write("BBBB")')
    expect(statSync(bundle).size).toBe(size)
    expect(statSync(bundle).mtimeMs).toBe(mtimeMs)
    expect(run()).toBe('BBBB')
    expect(run()).toBe('BBBB')
  })
})
