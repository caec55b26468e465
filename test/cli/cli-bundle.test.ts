import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/package-root'
import { cli } from '../support/cli'
import { tempDb } from '../support/temp-db'

/**
 * The CLI users run is the built bundle (dist/budget-ledger.js, scripts/bundle.ts; npm run build
 * first): one file, which finds its data files from the package root and loads the heavy packages
 * only for the commands that need them (docs/speed.md, "Cold start").
 */
const ROOT = packageRoot()

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
    const copy = join(db.dir, 'installed')
    mkdirSync(join(copy, 'dist'), { recursive: true })
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'))
    cpSync(join(ROOT, 'dist', 'budget-ledger.js'), join(copy, 'dist', 'budget-ledger.js'))
    for (const data of ['reference', 'sample', 'export']) cpSync(join(ROOT, 'src', data), join(copy, 'src', data), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))

    const there = node([join(copy, 'dist', 'budget-ledger.js'), '--db', db.path, ...TABLE_3], db.dir)

    expect(there.stderr).toBe('')
    expect(there.code).toBe(0)
    expect(there.stdout).toBe((await cli(['--db', db.path, ...TABLE_3])).stdout)
    expect(JSON.parse(there.stdout)).toMatchObject({ number: 3, unitCode: '101065', year: 2021 })
  })

  it('given a ledger, when the bundle answers table 3 as of an instant, then it loaded one file of the package and none of exceljs, prom-client, express, pino', () => {
    const loaded = join(db.dir, 'loaded.json')
    const probe = join(db.dir, 'probe.cjs')
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))))\n`)

    const r = node(['--require', probe, join(ROOT, 'dist', 'budget-ledger.js'), '--db', db.path, ...TABLE_3], db.dir)

    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ number: 3 })
    const files = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).filter((f) => f !== probe)
    const ours = files.filter((f) => !f.includes(`${ROOT}/node_modules/`) && f.startsWith(ROOT))
    // The export header layout is a plain script the dashboard also loads (src/export/layout.ts).
    expect(ours.sort()).toEqual([join(ROOT, 'dist', 'budget-ledger.js'), join(ROOT, 'src', 'export', 'header-layout.js')])
    const packages = new Set(files.filter((f) => f.includes('/node_modules/')).map((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)![1]))
    for (const heavy of ['exceljs', 'prom-client', 'express', 'pino']) expect(packages).not.toContain(heavy)
  })
})
