import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../../support/shells/cli'
import { fixtureBudgetFile } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * A unit without a published 预算单位编码 (a 所属单位 "预算不单列"): the ledger still needs a code to
 * keep its stream by, so one is assigned locally and marked localCode; every table shows it as
 * 本地编码, never as if it were the official code.
 */
describe('a unit with a locally assigned code', () => {
  const db = tempDb('ledger-local-code-')
  const run = (...args: string[]) => cli(['--db', db.path, ...args])
  const write = (name: string, unit: object) => {
    const path = join(db.dir, name)
    writeFileSync(path, JSON.stringify({ ...fixtureBudgetFile(), unit }))
    return path
  }
  beforeAll(async () => {
    const r = await run('import', write('local.json', { code: '900601', name: '某所属单位', localCode: true }))
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => db.remove())

  it('when a table is printed as text or CSV, then its heading says 本地编码 before the code', async () => {
    const text = await run('table', '1')
    expect(text.stdout).toContain('部门名称：某所属单位（本地编码 900601）')
    const csv = await run('table', '1', '--format', 'csv')
    expect(csv.stdout).toContain('部门名称：某所属单位（本地编码 900601）')
  })

  it('when a table is printed as JSON, then it carries localUnitCode: true beside the code', async () => {
    const j = JSON.parse((await run('table', '3', '--format', 'json')).stdout)
    expect(j).toMatchObject({ unitCode: '900601', unitName: '某所属单位', localUnitCode: true })
  })

  it('when a file marks localCode anything but true, then it is refused naming unit.localCode', async () => {
    const r = await run('import', write('bad.json', { code: '900602', name: '另一单位', localCode: false }))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('unit.localCode')
  })
})
