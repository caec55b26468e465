import { describe, expect, it } from 'vitest'
import { initialState } from '../../src/domain/budget-year'
import { YearNotOpen, renderTable } from '../../src/ledger/reports/tables'
import { bundledCatalogue } from '../../src/reference/catalogue'
import { cliProcess } from '../support/shells/cli'
import { FIXTURE, YEAR_PATH, addBody, serverForTests } from '../support/shells/http'

const CLOSE = { reason: '年终结账', document: '财〔2021〕99号', effectiveDate: '2021-12-31' }
const T = ['--unit', FIXTURE.unit, '--year', String(FIXTURE.year)]

describe('the close over HTTP: a refused wish names its field path and says it in Chinese', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given more carried than a line has left, when the close is posted, then the 422 names carry.p01 with words, and nothing is written', async () => {
    const before = await t.eventCount()
    const r = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...CLOSE, carry: { p01: '500000.01' } } })
    expect(r.status).toBe(422)
    expect(r.body.errors).toEqual([
      { path: 'carry.p01', reason: 'line "p01": cannot carry over 500000.01 元, it has only 500000.00 元 left', words: '预算行 "p01" 只剩 500000.00 元，不能结转 500000.01 元' },
    ])
    expect(r.body.words).toBe('预算行 "p01" 只剩 500000.00 元，不能结转 500000.01 元')
    expect(await t.eventCount()).toBe(before)
  })

  it('given a line that is carried and recovered too much, when the close is posted, then the 422 names recover.p02 (the wish that overdraws it)', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/close`, {
      token: 'finance',
      body: { ...CLOSE, carry: { p02: '100000.00' }, recover: { p02: '100000.01' }, recoveryNotice: '财收〔2021〕1号' },
    })
    expect(r.status).toBe(422)
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['recover.p02'])
    // A line named "recover" is not taken for the recover wish: the path is the wish and the line.
    const carried = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...CLOSE, carry: { nope: '1.00' } } })
    expect(carried.body.errors).toEqual([{ path: 'carry.nope', reason: 'there is no budget line "nope" to carry over', words: '没有预算行 "nope"，无法结转' }])
  })

  it('given amounts in 万元 with their suffix, when the close is posted as a dry run, then they are exact 元; a tenth of a 分 is refused naming the field', async () => {
    const dry = await t.request('POST', `${YEAR_PATH}/close?dryRun=true`, { token: 'finance', body: { ...CLOSE, carry: { p01: '1.25万元' } } })
    expect(dry.status).toBe(200)
    const lines = dry.body.events[0].data.lines as Array<{ line: string; carryOver: string }>
    expect(lines.find((l) => l.line === 'p01')!.carryOver).toBe('12500.00')
    const bad = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...CLOSE, carry: { p01: '0.0000001万元' } } })
    expect(bad.status).toBe(422)
    expect(bad.body.errors[0].path).toBe('carry.p01')
    expect(bad.body.errors[0].reason).toMatch(/0\.0000001 万元 is 0\.001 元, not a whole number of 分/)
  })

  it('given a 决算 table, when a cell is explained over HTTP, then the answer names it by its code and official title', async () => {
    const r = await t.request('GET', `${YEAR_PATH}/tables/F5/explain?row=${encodeURIComponent('合计')}&column=${encodeURIComponent('全年预算')}`, { token: 'auditor' })
    expect(r.status).toBe(200)
    expect(r.body.table).toEqual({ code: 'F5', id: 'final-general-budget-expenditure', number: 5, set: 'final', title: '一般公共预算财政拨款支出决算表' })
    expect(r.body.total).toBe('800000.00')
  })
})

describe('close-year and diff on the command line, as a process', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given --carry in 万元 (a suffix, or --amount-unit), when close-year runs as a dry run, then the amounts are exact 元; 0.0000001万元 is refused naming --carry', async () => {
    const run = (...args: string[]) => cliProcess(['--db', t.dbPath, 'close-year', ...T, '--date', '2021-12-31', '--dry-run', '--json', ...args])
    const suffix = await run('--carry', 'p01=1.25万元')
    expect(suffix.stderr).toBe('')
    expect(JSON.parse(suffix.stdout).lines.find((l: { line: string }) => l.line === 'p01').carryOver).toBe('12500.00')
    const unit = await run('--carry', 'p01=0.000001', '--recover', 'p02=2', '--recovery-notice', '财收〔2021〕1号', '--amount-unit', '万元')
    expect(unit.stderr).toBe('')
    const lines = JSON.parse(unit.stdout).lines as Array<{ line: string; carryOver: string; recovered: string }>
    expect([lines.find((l) => l.line === 'p01')!.carryOver, lines.find((l) => l.line === 'p02')!.recovered]).toEqual(['0.01', '20000.00'])
    const tenth = await run('--carry', 'p01=0.0000001万元')
    expect(tenth.code).toBe(1)
    expect(tenth.stderr).toContain('--carry p01: line "p01": the amount to carry over: 0.0000001 万元 is 0.001 元, not a whole number of 分')
    const bad = await run('--recover', 'p02=1.5', '--amount-unit', '千元')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('--amount-unit')
    expect(await t.eventCount()).toBe(4)
  })

  it('given a 决算 table, when diff prints for people and as JSON, then it names the table F5 with its official title', async () => {
    const text = await cliProcess(['--db', t.dbPath, 'diff', 'F5', ...T, '--from', '2020-01-01'])
    expect(text.stderr).toBe('')
    expect(text.stdout).toContain('table F5 一般公共预算财政拨款支出决算表 (final-general-budget-expenditure)')
    const json = JSON.parse((await cliProcess(['--db', t.dbPath, 'diff', 'F5', ...T, '--from', '2020-01-01', '--format', 'json'])).stdout)
    expect(json.table).toEqual({ code: 'F5', id: 'final-general-budget-expenditure', number: 5, set: 'final', title: '一般公共预算财政拨款支出决算表' })
  })
})

describe('a table of a unit-year that is not open', () => {
  it('given a year with no events (not open at that moment), when a table is rendered, then the refusal names the unit and the year', () => {
    const render = () => renderTable(initialState(), 'F5', bundledCatalogue(), { unit: '900001', year: 2021 })
    expect(render).toThrow(YearNotOpen)
    expect(render).toThrow('no budget year 2021 for unit 900001 in this ledger')
  })
})

describe('refusals outside decide say it in Chinese too (words), beside the English detail', () => {
  const t = serverForTests({ fixture: true })

  it('given a command whose amount the codecs refuse, when posted, then the 422 carries words at the top and on the field', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('12,5') })
    expect(r.status).toBe(422)
    expect(r.body.words).toBe('有 1 处填写有误，什么也没有写入')
    expect(r.body.errors).toEqual([
      { path: 'data.amount', reason: expect.stringContaining('"12,5"'), words: 'data.amount：应为大于零、以元为单位、至多两位小数的金额（如 "125000.50"），实际为 "12,5"' },
    ])
  })

  it('given a command with a field no command has, or a date that does not exist, when posted, then each field says in Chinese what is wrong', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody(), effectiveDate: '2021-02-30', extra: 1 } })
    expect(r.status).toBe(422)
    const words = Object.fromEntries(r.body.errors.map((e: { path: string; words: string }) => [e.path, e.words]))
    expect(words.effectiveDate).toBe('effectiveDate：应为实际存在的日期 YYYY-MM-DD（如 "2021-03-01"），实际为 "2021-02-30"')
    expect(words.extra).toMatch(/^extra：没有这个字段（可填的字段：/)
  })

  it('given an amount in 万元 finer than a 分, when posted, then the 422 says so in Chinese naming the field', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('0.0000001万元') })
    expect(r.status).toBe(422)
    expect(r.body.errors[0]).toMatchObject({ path: 'data.amount', words: 'data.amount：应为以万元为单位、至多六位小数的金额（精确到分），实际为 "0.0000001万元"' })
  })

  it('given the year is not closed, when the next year is opened, then the 409 year-not-closed says it in Chinese', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/next-year`, { token: 'finance', body: { reason: '开启下年' } })
    expect(r.status).toBe(409)
    expect(r.body.code).toBe('year-not-closed')
    expect(r.body.words).toBe('单位 900001 的 2021 年度尚未年终结账：先结账，再以其结转开启 2022 年度')
  })

  it('given a close body with a field it does not take, when posted, then the 422 names it in Chinese', async () => {
    const r = await t.request('POST', `${YEAR_PATH}/close`, { token: 'finance', body: { ...CLOSE, carryAll: true } })
    expect(r.status).toBe(422)
    expect(r.body.words).toBe('有 1 处填写有误，什么也没有写入')
    expect(r.body.errors).toEqual([{ path: 'carryAll', reason: expect.stringMatching(/^no such field/), words: expect.stringMatching(/^carryAll：没有这个字段/) }])
  })
})
