import Decimal from 'decimal.js'
import * as E from 'fp-ts/Either'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BudgetFile, budgetFileCommands } from '../../../src/domain/budget-file/budget-file'
import { decode } from '../../../src/domain/codecs/decode'
import { formatTargetValue, type TargetCategory } from '../../../src/domain/budget-file/targets'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { cli } from '../../support/shells/cli'
import { given } from '../../support/years/given'
import { publishedBudgetLines } from '../../support/years/published-budget'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The sample budget file is a transcription of the seed (the published 2021 部门预算 of
 * 工信科技金融办). These tests decode it, add it up with decimal.js, and compare it with the seed
 * text itself, parsed here independently of the JSON.
 */

const SAMPLE = path.resolve(__dirname, '..', '..', '..', 'src', 'sample', 'budget-101065-2021.json')

const raw: unknown = JSON.parse(readFileSync(SAMPLE, 'utf8'))
const seedLines = publishedBudgetLines()

const decoded = decode(BudgetFile)(raw)
const file = (): BudgetFile => {
  if (E.isLeft(decoded)) throw new Error(decoded.left.map((e) => e.message).join('\n'))
  return decoded.right
}

const wanToYuan = (wan: string): string => new Decimal(wan).times(10_000).toFixed(2)
const total = (xs: ReadonlyArray<string>): string => xs.reduce((a, x) => a.plus(x), new Decimal(0)).toFixed(2)

/** The seed writes two comparison operators in LaTeX. */
const seedOperator = (s: string): string => ({ '\\geq': '≥', '\\leq': '≤' })[s] ?? s

interface SeedProject {
  code: string
  name: string
  amount: string
  targets: Array<{ category: TargetCategory; name: string; printed: string }>
}

/** Table 十一: a row starting with a 7-digit code opens a project; rows starting with a tab continue it. */
const seedProjects = (): SeedProject[] => {
  const start = seedLines.findIndex((l) => l.startsWith('2021年度区级部门预算项目绩效目标表'))
  expect(start).toBeGreaterThan(0)
  const projects: SeedProject[] = []
  const categories: TargetCategory[] = ['output', 'effect', 'satisfaction']
  for (const l of seedLines.slice(start + 1)) {
    const cells = l.split('\t')
    let current: SeedProject | undefined
    if (/^\d{7}\t/.test(l)) {
      current = { code: cells[0]!, name: cells[1]!, amount: cells[2]!, targets: [] }
      projects.push(current)
    } else if (l.startsWith('\t') && cells.length === 11 && projects.length > 0 && cells.slice(0, 5).every((c) => c === '')) {
      current = projects[projects.length - 1]!
    } else continue
    categories.forEach((category, i) => {
      const name = cells[5 + 2 * i] ?? ''
      const printed = cells[6 + 2 * i] ?? ''
      if (name !== '' || printed !== '') current!.targets.push({ category, name, printed })
    })
  }
  return projects
}

describe('given the sample budget file of 工信科技金融办 (101065) for 2021', () => {
  it('when decoded with BudgetFile, then it is Right', () => {
    expect(E.isRight(decoded) ? [] : decoded.left.map((e) => e.message)).toEqual([])
  })

  it('when its commands are decided in order, then every one is accepted', () => {
    const { commands, context } = budgetFileCommands(file())
    const { events } = given(commands, context)
    expect(events).toHaveLength(commands.length)
    expect(context).toEqual({ reason: file().source, document: null, effectiveDate: '2021-03-01' })
  })

  it('when its line amounts are summed with decimal.js, then they make 904.34 万元', () => {
    const f = file()
    expect(total(f.lines.map((l) => l.amount!))).toBe('9043400.00')
    expect(total(f.lines.filter((l) => l.kind === 'basic').map((l) => l.amount!))).toBe('323000.00')
    expect(total(f.lines.filter((l) => l.kind === 'project').map((l) => l.amount!))).toBe('8720400.00')
  })

  it('when its lines are summed per 类, then 201 = 20.00, 206 = 754.20 and 215 = 130.14 万元', () => {
    const byClass = new Map<string, string[]>()
    for (const l of file().lines) byClass.set(l.functionCode.slice(0, 3), [...(byClass.get(l.functionCode.slice(0, 3)) ?? []), l.amount!])
    expect(Object.fromEntries([...byClass].map(([c, xs]) => [c, total(xs)]))).toEqual({
      '201': '200000.00',
      '206': '7542000.00',
      '215': '1301400.00',
    })
  })

  it('when compared with table 十一 of the seed, then every project name, code and amount matches, in order', () => {
    const seed = seedProjects()
    const projects = file().lines.filter((l) => l.kind === 'project')
    expect(seed).toHaveLength(11)
    expect(projects.map((l) => ({ id: l.id, code: l.functionCode, name: l.projectName, amount: l.amount }))).toEqual(
      seed.map((p, i) => ({ id: `p${String(i + 1).padStart(2, '0')}`, code: p.code, name: p.name, amount: wanToYuan(p.amount) })),
    )
    // the unit's own row of the table carries the project total
    const unitRow = seedLines.find((l) => l.startsWith('101065\t'))!.split('\t')
    expect(total(projects.map((l) => l.amount!))).toBe(wanToYuan(unitRow[2]!))
  })

  it('when its project targets are printed back, then they read exactly as the seed cells, in order', () => {
    const seed = seedProjects()
    const projects = file().lines.filter((l) => l.kind === 'project')
    projects.forEach((l, i) => {
      const printed = (l.targets ?? []).map((t) => ({ category: t.category, name: t.name, printed: formatTargetValue(t) }))
      expect({ project: l.projectName, targets: printed }).toEqual({ project: seed[i]!.name, targets: seed[i]!.targets })
    })
  })

  it('when its unit indicators are compared with the seed grid, then each level3, operator, value, unit and explanation matches, in order', () => {
    const header = seedLines.findIndex((l) => l.startsWith('一级指标\t二级指标\t三级指标'))
    const end = seedLines.findIndex((l) => l.startsWith('2021年度区级部门预算项目绩效目标表'))
    const gridRows = seedLines.slice(header + 1, end).filter((l) => l.split('\t').length >= 5)
    const indicators = file().unitTargets!.indicators
    expect(indicators).toHaveLength(gridRows.length)
    let previous = header
    for (const ind of indicators) {
      const at = seedLines.findIndex((l, n) => n > header && n < end && l.split('\t').includes(ind.level3))
      expect(at, ind.level3).toBeGreaterThan(previous)
      previous = at
      const cells = seedLines[at]!.split('\t')
      const rest = cells.slice(cells.indexOf(ind.level3) + 1)
      // six-column rows print 指标值类型, 指标值, 度量单位, 说明; the 预算和财务管理 rows leave out 度量单位
      const [operator, value, unit, explanation] = rest.length === 4 ? rest : [rest[0], rest[1], '', rest[2]]
      expect(
        { level3: ind.level3, operator: ind.operator, value: ind.value, unit: ind.unit, explanation: ind.explanation },
      ).toEqual({
        level3: ind.level3,
        operator: seedOperator(operator!),
        value,
        unit,
        explanation: explanation!.replace(/\\times/g, '×'),
      })
      for (const level of [ind.level1, ind.level2].filter((x) => x !== ''))
        expect(seedLines.slice(header, end).some((l) => l === level || l.split('\t').includes(level)), level).toBe(true)
    }
  })

  it('when its annual goals and main tasks are compared with the seed, then each is printed there verbatim', () => {
    const goals = seedLines.find((l) => l.startsWith('年度履职目标\t'))!
    const paragraphs = [...goals.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1])
    const { annualGoals, tasks } = file().unitTargets!
    expect(annualGoals).toEqual(paragraphs)
    for (const t of tasks) expect(seedLines.some((l) => l.includes(`${t.name}\t${t.content}`)), t.name).toBe(true)
    expect(tasks).toHaveLength(10)
  })

  it('when its comparatives and earmarks are checked against the seed prose, then they follow from it', () => {
    const f = file()
    const prose = seedLines.join('\n')
    const increase = /收入增加 ([\d.]+) 万元/.exec(prose)![1]!
    const income = /收入总计 ([\d.]+) 万元/.exec(prose)![1]!
    expect(f.previousYear?.total).toBe(new Decimal(wanToYuan(income)).minus(wanToYuan(increase)).toFixed(2))
    const reception = /公务接待费([\d.]+)万元/.exec(prose)![1]!
    const receptionIncrease = /公务接待费[\d.]+万元[^。]*。预算数比2020年增加([\d.]+)万元/.exec(prose)![1]!
    expect(f.earmarks?.['threePublic.reception']).toBe(wanToYuan(reception))
    expect(f.previousYear?.threePublic?.reception).toBe(
      new Decimal(wanToYuan(reception)).minus(wanToYuan(receptionIncrease)).toFixed(2),
    )
    const office = /机关运行经费支出预算([\d.]+)万元/.exec(prose)![1]!
    expect(f.earmarks?.officeOperating).toBe(wanToYuan(office))
  })
})

describe('given an empty ledger', () => {
  it('when the bundled sample is loaded, then no event’s reason or metadata names a path of the developers’ machine', async () => {
    const db = tempDb('ledger-sample-')
    try {
      expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
      const store = new SqliteEventStore(db.path)
      const events = await store.readAll()
      await store.close()
      expect(events.length).toBeGreaterThan(0)
      for (const e of events) {
        const said = JSON.stringify({ data: e.data, metadata: e.metadata })
        expect(said, `event ${e.id}`).not.toMatch(/\.\.\/|shared\/seeds/)
        // The audit trail names the published document the figures come from.
        expect(e.metadata.reason, `event ${e.id}`).toContain('工信科技金融办 2021 年度部门预算')
      }
    } finally {
      db.remove()
    }
  })
})
