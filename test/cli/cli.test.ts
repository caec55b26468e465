import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/package-root'
import { cli } from '../support/shells/cli'
import { tempDb } from '../support/ledgers/temp-db'

describe('the budget-ledger command line, on a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  beforeEach(() => {
    db = tempDb('ledger-cli-')
  })
  afterEach(() => db.remove())

  it('lists the eleven tables with stable ids and numbers', async () => {
    const r = await cli(['tables', '--format', 'json'])
    expect(r.code).toBe(0)
    const list = JSON.parse(r.stdout) as Array<{ number: number; id: string; title: string }>
    expect(list.map((t) => `${t.number} ${t.id}`)).toEqual([
      '1 income-expenditure-summary',
      '2 income-summary',
      '3 expenditure-summary',
      '4 fiscal-appropriation-summary',
      '5 general-budget-expenditure',
      '6 expenditure-by-economic-class',
      '7 three-public-expenses',
      '8 government-fund-expenditure',
      '9 state-capital-expenditure',
      '10 unit-performance-targets',
      '11 project-performance-targets',
    ])
  })

  it('given the sample is loaded, when a table is asked for by number or id, then JSON, text and CSV agree', async () => {
    const loaded = await cli(['--db', db.path, 'sample', '--json'])
    expect(loaded.code).toBe(0)
    expect(JSON.parse(loaded.stdout)).toMatchObject({ unit: '101065', year: 2021, lines: 12 })

    const byNumber = await cli(['--db', db.path, 'table', '3', '--unit', '101065', '--year', '2021', '--format', 'json'])
    const byId = await cli(['--db', db.path, 'table', 'expenditure-summary', '--format', 'json'])
    expect(byNumber.code).toBe(0)
    expect(byId.stdout).toBe(byNumber.stdout)
    const t = JSON.parse(byNumber.stdout)
    expect(t).toMatchObject({ id: 'expenditure-summary', number: 3, title: '部门支出总体情况表', unit: '万元' })
    expect(t.rows[0].slice(1)).toEqual(['合计', '904.34', '32.30', '872.04'])

    const text = await cli(['--db', db.path, 'table', '3'])
    expect(text.stdout).toContain('部门支出总体情况表')
    expect(text.stdout).toMatch(/合计\s+904\.34\s+32\.30\s+872\.04/)
    const csv = await cli(['--db', db.path, 'table', '3', '--format', 'csv'])
    expect(csv.stdout.split('\r\n')[0]).toBe('部门支出总体情况表')
    expect(csv.stdout).toContain(',合计,904.34,32.30,872.04')
  })

  it('uses LEDGER_DB when no --db is given', async () => {
    expect((await cli(['sample'], { LEDGER_DB: db.path })).code).toBe(0)
    const r = await cli(['table', '3', '--format', 'json'], { LEDGER_DB: db.path })
    expect(JSON.parse(r.stdout).rows[0][2]).toBe('904.34')
  })

  it('refuses a bad budget file naming each bad field, writes nothing, and exits 1', async () => {
    const bad = join(db.dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ format: 'budget-ledger/budget-year@1', unit: { code: '1', name: '' }, year: 2021 }))
    const r = await cli(['--db', db.path, 'import', bad])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('nothing was written')
    expect(r.stderr).toContain('unit.code:')
    expect(r.stderr).toContain('lines: expected Array<line>')
    // The file is refused before the ledger is opened: none was created.
    const after = await cli(['--db', db.path, 'table', '3'])
    expect(after.code).toBe(1)
    expect(after.stderr).toContain(`no ledger at ${db.path} (nothing was created)`)
  })

  it('says what is wrong with an unknown table, a file that is not JSON, and a missing file', async () => {
    await cli(['--db', db.path, 'sample'])
    const unknown = await cli(['--db', db.path, 'table', '12'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no table "12"')
    const notJson = join(db.dir, 'x.json')
    writeFileSync(notJson, '{"format": ')
    const r = await cli(['--db', db.path, 'import', notJson])
    expect(r.stderr).toContain('not valid JSON')
    expect((await cli(['--db', db.path, 'import', join(db.dir, 'missing.json')])).stderr).toContain('ENOENT')
  })

  it('the built binary runs as package.json declares it', () => {
    const root = packageRoot()
    const bin = join(root, 'dist', 'src', 'cli', 'main.js')
    if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' })
    const loaded = spawnSync(process.execPath, [bin, '--db', db.path, 'sample'], { encoding: 'utf8' })
    expect(loaded.status).toBe(0)
    expect(loaded.stdout).toMatch(/events recorded\s+\d+/)
    const report = spawnSync(process.execPath, [bin, '--db', db.path, 'report'], { encoding: 'utf8' })
    expect(report.status).toBe(0)
    expect(report.stdout).toContain('904.34')
  })
})
