import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLES } from '../../../projections'
import { sum, toWan, yuan } from '../../../src/domain/money/money'
import { toJson } from '../../../projections/render'
import { createApp } from '../../../src/http/app'
import { ledgerDeps } from '../../../src/ledger/deps'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { bundledCatalogue } from '../../../src/reference/catalogue'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { AT, TARGET, recordScenario } from '../../support/ledgers/audit-ledger'
import { cli } from '../../support/shells/cli'
import { TOKEN_ENTRIES, send } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

const T = ['--unit', TARGET.unit, '--year', String(TARGET.year)]

describe('history, diff and explain: who changed what, when and why', () => {
  const db = tempDb('ledger-history-')
  let store: SqliteEventStore
  let ids: Awaited<ReturnType<typeof recordScenario>>
  const run = async (...argv: string[]) => {
    const r = await cli(['--db', db.path, ...argv])
    expect(r.code, r.stderr).toBe(0)
    return r
  }
  const runJson = async (...argv: string[]) => JSON.parse((await run(...argv, '--format', 'json')).stdout)

  beforeAll(async () => {
    store = new SqliteEventStore(db.path)
    ids = await recordScenario(store)
  })
  afterAll(async () => {
    await store.close()
    db.remove()
  })

  it('given the year’s events, when its history is asked for, then every event is listed in order with recording time, business date, actor, role, reason and document', async () => {
    const h = await runJson('history', ...T)
    const all = await store.readStream(`budget-${TARGET.unit}-${TARGET.year}`)
    expect(h.entries.map((e: { id: string }) => e.id)).toEqual(all.map((e) => e.id))
    const correction = h.entries.find((e: { id: string }) => e.id === ids.correction)
    expect(correction).toMatchObject({
      type: 'BudgetAdded',
      recordedAt: AT.correction,
      effectiveDate: '2021-03-03',
      actor: '李会计',
      role: 'finance',
      reason: '3月3日批复的追加，漏录补记',
      document: '测试〔2021〕03-10号',
      balances: [{ line: 'p02', budget: '177000.00', spent: '0.00' }],
    })
    const reversal = h.entries.find((e: { id: string }) => e.id === ids.reverse)
    expect(reversal).toMatchObject({ type: 'EventReversed', reverses: ids.spend, reason: '凭证录错，冲销', document: null })
    const text = (await run('history', ...T)).stdout
    // People read the recording time in the ledger's time zone (10 March, 11:00 in Shanghai); the JSON keeps the UTC instant.
    expect(AT.correction).toBe('2021-03-10T03:00:00.000Z')
    expect(text).toContain(`#${correction.revision}  BudgetAdded  recorded 2021-03-10 11:00:00 +08:00  effective 2021-03-03`)
    expect(text).toContain('by 李会计 (finance)  document 测试〔2021〕03-10号  reason 3月3日批复的追加，漏录补记')
  })

  it('given an event recorded at 00:30 on 2 March in Shanghai (still 1 March in UTC), when history, diff and explain print it for people, then they show the ledger time zone with its offset, LEDGER_TIME_ZONE changes it, and the JSON keeps the UTC instant', async () => {
    expect(AT.add).toBe('2021-03-01T16:30:00.000Z')
    const added = (await runJson('history', ...T)).entries.find((e: { id: string }) => e.id === ids.add)
    expect(added.recordedAt).toBe(AT.add)
    const shanghai = `#${added.revision}  BudgetAdded  recorded 2021-03-02 00:30:00 +08:00`
    expect((await run('history', ...T)).stdout).toContain(shanghai)
    const diff = (await run('diff', '3', ...T, '--from', '2021-03-01', '--to', '2021-03-02')).stdout
    expect(diff).toContain('as of 2021-03-01 23:59:59 +08:00 → as of 2021-03-02 23:59:59 +08:00')
    expect(diff).toContain(shanghai)
    expect((await run('explain', '3', ...T, '--row', '合计', '--column', '合计')).stdout).toContain(shanghai)
    const utc = await cli(['--db', db.path, 'history', ...T], { LEDGER_TIME_ZONE: 'UTC' })
    expect(utc.stdout).toContain(`#${added.revision}  BudgetAdded  recorded 2021-03-01 16:30:00 +00:00`)
    expect(utc.stdout).not.toMatch(/recorded \d{4}-\d{2}-\d{2}T/)
  })

  it('given one line, when its history is asked for, then only its events are listed, each with the line’s budget and spending right after it', async () => {
    const h = await runJson('history', ...T, '--line', 'p01')
    const steps = h.entries.map((e: { type: string; balances: Array<{ line: string; budget: string; spent: string }> }) => [
      e.type,
      e.balances.find((b) => b.line === 'p01'),
    ])
    expect(steps).toEqual([
      ['LineAllocated', { line: 'p01', budget: '500000.00', spent: '0.00' }],
      ['BudgetAdded', { line: 'p01', budget: '600000.00', spent: '0.00' }],
      ['ExpenditureRecorded', { line: 'p01', budget: '600000.00', spent: '50000.00' }],
      ['EventReversed', { line: 'p01', budget: '600000.00', spent: '0.00' }],
      ['ProjectTargetsSet', { line: 'p01', budget: '600000.00', spent: '0.00' }],
    ])
    // A transfer touches both lines: each balance is given.
    const p02 = await runJson('history', ...T, '--line', 'p02')
    const transfer = p02.entries.find((e: { id: string }) => e.id === ids.transfer)
    expect(transfer.balances).toHaveLength(2)
    expect(transfer.balances).toEqual(
      expect.arrayContaining([
        { line: 'p02', budget: '180000.00', spent: '0.00' },
        { line: 'basic', budget: '120000.00', spent: '0.00' },
      ]),
    )
    // As of a day, and at a business date, the history is of the events then.
    const asOf = await runJson('history', ...T, '--line', 'p01', '--as-of', '2021-03-03')
    expect(asOf.entries.map((e: { type: string }) => e.type)).toEqual(['LineAllocated', 'BudgetAdded', 'ExpenditureRecorded'])
    const atDay3 = await runJson('history', ...T, '--line', 'p02', '--effective', '2021-03-03')
    expect(atDay3.entries.map((e: { id: string }) => e.id)).toContain(ids.correction)
    expect(atDay3.entries.map((e: { id: string }) => e.id)).not.toContain(ids.transfer)
    const unknown = await cli(['--db', db.path, 'history', ...T, '--line', 'nope'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('there is no budget line "nope"')
  })

  it('given two as-of dates, when table 3 is diffed, then the changed cells are named with the events that changed each, and every event recorded in between is listed', async () => {
    const d = await runJson('diff', '3', ...T, '--from', '2021-03-02', '--to', '2021-03-05')
    expect(d.events.map((e: { id: string }) => e.id)).toEqual([ids.spend, ids.earmark, ids.transfer, ids.allocate, ids.reverse, ids.reduce])
    const change = (rowKey: string, column: string) => d.changes.find((c: { rowKey: string; columnLabel: string }) => c.rowKey === rowKey && c.columnLabel === column)
    expect(change('合计', '合计')).toMatchObject({ from: '90.00', to: '97.00', events: [ids.transfer, ids.allocate, ids.reduce] })
    expect(change('合计', '基本支出')).toMatchObject({ from: '10.00', to: '12.00', events: [ids.transfer] })
    expect(change('2060499 其他技术研究与开发支出', '合计')).toMatchObject({ from: '20.00', to: '25.00', events: [ids.transfer, ids.allocate, ids.reduce] })
    // Spending and the earmark change no cell of table 3, so no cell names them.
    for (const c of d.changes) for (const id of [ids.spend, ids.earmark, ids.reverse]) expect(c.events).not.toContain(id)
    // Every change is real: the cell prints `from` as of the earlier date and `to` as of the later.
    const before = (await runJson('table', '3', ...T, '--as-of', '2021-03-02')).rows
    const after = (await runJson('table', '3', ...T, '--as-of', '2021-03-05')).rows
    for (const c of d.changes) {
      if (c.to !== null) expect(after[c.row][c.column]).toBe(c.to)
      else expect(before[c.row][c.column]).toBe(c.from)
    }
    const unchanged = after.flatMap((r: string[], i: number) => r.map((v, j) => ({ i, j, v }))).filter(({ i, j }: { i: number; j: number }) => !d.changes.some((c: { row: number; column: number }) => c.row === i && c.column === j))
    for (const { i, j, v } of unchanged) expect(before.find((r: string[]) => r[0]!.trim() === after[i][0].trim() && r[1] === after[i][1])?.[j] ?? '').toBe(v)

    const t7 = await runJson('diff', '7', ...T, '--from', '2021-03-02', '--to', '2021-03-03')
    expect(t7.changes.find((c: { rowKey: string; columnLabel: string }) => c.rowKey === '2、公务接待费' && c.columnLabel === '执行数')).toMatchObject({
      from: '0.00',
      to: '5.00',
      events: [ids.spend],
    })
    expect(t7.changes.find((c: { rowKey: string; columnLabel: string }) => c.rowKey === '2、公务接待费' && c.columnLabel === '2021年“三公”经费预算数')).toMatchObject({
      // before the earmark 公务接待 was not stated: blank, not 0.00
      from: '',
      to: '6.00',
      events: [ids.earmark],
    })
    const text = (await run('diff', '7', ...T, '--from', '2021-03-02', '--to', '2021-03-03')).stdout
    expect(text).toContain(`"2、公务接待费" column 4 "执行数": 0.00 → 5.00  by ${ids.spend}`)
  })

  it('given a cell, when it is explained, then the figures it reads and exactly the events that wrote them are listed', async () => {
    const a = await runJson('explain', '3', ...T, '--row', '2060499', '--column', '合计')
    expect(a.cell).toMatchObject({ rowKey: '2060499 其他技术研究与开发支出', columnLabel: '合计', text: '25.70' })
    expect(a.figures).toEqual(expect.arrayContaining(['lines[p02].initial', 'lines[p02].added.ordinary', 'lines[p03].initial']))
    expect(a.figures.some((f: string) => f.startsWith('lines[p01]') || f.startsWith('lines[basic]'))).toBe(false)
    const all = await store.readStream(`budget-${TARGET.unit}-${TARGET.year}`)
    const p02Allocated = all.find((e) => e.type === 'LineAllocated' && (e.data as { line: string }).line === 'p02')!.id
    expect(a.events.map((e: { id: string }) => e.id)).toEqual([p02Allocated, ids.transfer, ids.allocate, ids.reduce, ids.correction])

    const spent = await runJson('explain', '7', ...T, '--row', '公务接待费', '--column', '执行数')
    expect(spent.figures).toEqual(['spentThreePublic.reception'])
    expect(spent.events.map((e: { id: string }) => e.id)).toEqual([ids.spend, ids.reverse])
    const spentThen = await runJson('explain', '7', ...T, '--row', '公务接待费', '--column', '执行数', '--as-of', '2021-03-03')
    expect(spentThen.cell.text).toBe('5.00')
    expect(spentThen.events.map((e: { id: string }) => e.id)).toEqual([ids.spend])
    // Each event says what it changed the cell by, in 元: together they make the cell.
    const amounts = (x: { events: Array<{ amount: string | null }> }) => x.events.map((e) => e.amount)
    expect(amounts(spent)).toEqual(['50000.00', '-50000.00'])
    expect(toWan(sum(amounts(a).map((v) => yuan(v!))))).toBe('25.70')

    // A label is explained by its row; table 10's 预算情况 by its label alone.
    const label = await runJson('explain', '3', ...T, '--row', '2060499', '--column', '科目名称')
    expect(label.via).toBe('row')
    // A label is no amount: its events change no figure of its own.
    expect(new Set(label.events.map((e: { amount: string | null }) => e.amount))).toEqual(new Set([null]))
    expect(label.events.map((e: { id: string }) => e.id)).toContain(ids.allocate)
    const total = await runJson('explain', '10', ...T, '--row', '部门预算总额(万元)')
    expect(total.cell.text).toBe('97.70')
    expect(toWan(sum(amounts(total).map((v) => yuan(v!))))).toBe('97.70')
    expect(total.events.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([ids.add, ids.allocate, ids.reduce, ids.correction]))
    // A transfer between two lines nets to nothing in the total, but it wrote figures the total reads.
    expect(total.events.map((e: { id: string }) => e.id)).toContain(ids.transfer)
    expect(total.events.map((e: { id: string }) => e.id)).not.toContain(ids.spend)
    const text = (await run('explain', '7', ...T, '--row', '公务接待费', '--column', '执行数')).stdout
    expect(text).toContain('it reads: spentThreePublic.reception')
    expect(text).toContain('2 event(s) behind it')

    const bad = await cli(['--db', db.path, 'explain', '3', ...T, '--row', 'nope', '--column', '合计'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('table 3 has no row "nope"')
  })

  describe('over HTTP', () => {
    let server: Server
    let url: string
    beforeAll(async () => {
      const app = createApp({ deps: ledgerDeps(store), tokens: TOKEN_ENTRIES, log: (l) => expect.fail(l) })
      server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s))
      })
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const YEAR = `/api/units/${TARGET.unit}/years/${TARGET.year}`
    const get = (path: string, token: string) => send(url, 'GET', path, { token })

    it('given asOf and effective, when a table is read, then it is the CLI’s table at that point', async () => {
      for (const [q, flags] of [
        ['asOf=2021-03-01', ['--as-of', '2021-03-01']],
        ['asOf=2021-03-09&effective=2021-03-03', ['--as-of', '2021-03-09', '--effective', '2021-03-03']],
        ['effective=2021-03-03', ['--effective', '2021-03-03']],
      ] as const) {
        const r = await get(`${YEAR}/tables/3?${q}`, 'dashboard')
        expect(r.status).toBe(200)
        expect(r.body).toEqual(await runJson('table', '3', ...T, ...flags))
      }
      const { state } = await loadBudgetYear(store, TARGET.unit, TARGET.year, { asOf: '2021-03-04T15:59:59.999Z' })
      for (const t of TABLES)
        expect((await get(`${YEAR}/tables/${t.id}?asOf=2021-03-04`, 'auditor')).body).toEqual(toJson(t.render(state, bundledCatalogue())))
      const bad = await get(`${YEAR}/tables/3?asOf=yesterday`, 'auditor')
      expect(bad.status).toBe(400)
      expect(bad.body.errors[0].path).toBe('asOf')
      expect((await get(`${YEAR}/tables/3?asOf=2020-01-01`, 'auditor')).status).toBe(404)
    })

    it('given the roles, when history, diff and explain are asked for, then finance and auditors get them and dashboards do not', async () => {
      const paths = [`${YEAR}/history?line=p01`, `${YEAR}/tables/3/diff?from=2021-03-02&to=2021-03-05`, `${YEAR}/tables/3/explain?row=2060499&column=合计`]
      for (const p of paths) {
        expect((await get(p, 'auditor')).status).toBe(200)
        expect((await get(p, 'finance')).status).toBe(200)
        expect((await get(p, 'dashboard')).status).toBe(403)
      }
      expect((await get(paths[0]!, 'auditor')).body).toEqual(await runJson('history', ...T, '--line', 'p01'))
      expect((await get(paths[1]!, 'auditor')).body).toEqual(await runJson('diff', '3', ...T, '--from', '2021-03-02', '--to', '2021-03-05'))
      expect((await get(`${YEAR}/tables/3/explain?row=x`, 'auditor')).status).toBe(404)
      expect((await get(`${YEAR}/tables/3/diff`, 'auditor')).status).toBe(400)
    })

    it('given the roles, when verify and digest are asked for, then only auditors get them, and a digest verifies', async () => {
      for (const p of ['/api/audit/verify', '/api/audit/digest']) {
        expect((await get(p, 'finance')).status).toBe(403)
        expect((await get(p, 'dashboard')).status).toBe(403)
      }
      const v = await get('/api/audit/verify', 'auditor')
      expect(v.status).toBe(200)
      expect(v.body).toMatchObject({ ok: true, breaks: [] })
      const d = await get('/api/audit/digest', 'auditor')
      expect(d.status).toBe(200)
      expect(d.body.sha256).toMatch(/^[0-9a-f]{64}$/)
      const ok = await get(`/api/audit/verify?position=${d.body.position}&sha256=${d.body.sha256}`, 'auditor')
      expect(ok.body.digest).toMatchObject({ ok: true })
      const wrong = await get(`/api/audit/verify?position=${d.body.position}&sha256=${'0'.repeat(64)}`, 'auditor')
      expect(wrong.body).toMatchObject({ ok: false, digest: { ok: false } })
    })
  })
})
