import Decimal from 'decimal.js'
import { type At, cellAt, labelIs, nameOf, NUMBERED, type Row, tableOf, unnumbered } from './final-accounts-cells'
import type { FinalAccounts, Table } from './final-accounts-fixture'

/**
 * What a published 决算 does with its own figures: which of its totals foot, and by how much the
 * others drift (the identities of DESIGN.md §7, applied wherever the fixture holds the rows).
 */

/** One identity of the 决算 checked on the printed figures. */
export interface Footing {
  /** The table, with its half ("收入支出决算总表 支出"), or two tables joined by ↔. */
  readonly table: string
  readonly column: string
  /** e.g. "总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余" */
  readonly rule: string
  readonly printed: string
  /** The sum of the printed parts, in 万元 with two decimals; "" where a part is missing. */
  readonly computed: string
  /** printed − computed, in 万元 with two decimals; "0.00" where the document foots, "" where unchecked. */
  readonly drift: string
  /** Rows the rule needs that the fixture does not hold: then the rule is not checked. */
  readonly missing: ReadonlyArray<string>
}

const sumOf = (table: string, column: string, rule: string, total: At, parts: ReadonlyArray<At>): Footing => {
  const missing = [total, ...parts].filter((a) => a.value === undefined).map((a) => a.where)
  const printed = total.value?.toFixed(2) ?? ''
  if (missing.length > 0) return { table, column, rule, printed, computed: '', drift: '', missing }
  // A part not transcribed is unknown, not zero: only here, with every part known, is the sum taken.
  const computed = parts.reduce((a, p) => a.plus(p.value!), new Decimal(0))
  return { table, column, rule, printed, computed: computed.toFixed(2), drift: total.value!.minus(computed).toFixed(2), missing }
}

/** Within one table and column: total row = Σ part rows (by label). */
const rowsSum = (tb: Table, column: string, total: string, parts: ReadonlyArray<string>): Footing =>
  sumOf(nameOf(tb), column, `${total} = ${parts.join(' + ')}`, cellAt(tb, total, column), parts.map((p) => cellAt(tb, p, column)))

/** The numbered lines of a 总表 half between two rows (from the start, or after `after`, up to `until`). */
const numberedBetween = (tb: Table, until: string, after?: string): Row[] => {
  const from = after ? tb.rows.findIndex((r) => labelIs(r, after)) + 1 : 0
  const to = tb.rows.findIndex((r) => labelIs(r, until))
  return tb.rows.slice(from, to < 0 ? tb.rows.length : to).filter((r) => NUMBERED.test(r.label))
}

const itemsSum = (tb: Table, column: string, total: string, after?: string): Footing[] => {
  const items = numberedBetween(tb, after ? '总计' : total, after)
  if (items.length === 0 || !tb.rows.some((r) => labelIs(r, total))) return []
  return [sumOf(nameOf(tb), column, `${total} = Σ 各项 (${items.length} lines)`, cellAt(tb, total, column), items.map((r) => cellAt(tb, r, column)))]
}

/** The two 总表 (收入支出决算总表, 财政拨款收入支出决算总表): each half adds up, and the halves meet. */
const summaryFootings = (doc: FinalAccounts): Footing[] => {
  const out: Footing[] = []
  const all = tableOf(doc, '收入支出决算总表', '收入')
  const spent = tableOf(doc, '收入支出决算总表', '支出')
  if (all) {
    out.push(...itemsSum(all, '决算数', '本年收入合计'))
    out.push(rowsSum(all, '决算数', '总计', ['本年收入合计', '使用非财政拨款结余', '年初结转和结余']))
  }
  if (spent) {
    out.push(...itemsSum(spent, '决算数', '本年支出合计'))
    out.push(rowsSum(spent, '决算数', '总计', ['本年支出合计', '结余分配', '年末结转和结余']))
  }
  if (all && spent) out.push(sumOf('收入支出决算总表', '决算数', '支出 总计 = 收入 总计', cellAt(spent, '总计', '决算数'), [cellAt(all, '总计', '决算数')]))
  const fiscalIn = tableOf(doc, '财政拨款收入支出决算总表', '收入')
  const fiscalOut = tableOf(doc, '财政拨款收入支出决算总表', '支出')
  if (fiscalIn) {
    out.push(...itemsSum(fiscalIn, '决算数', '本年收入合计'))
    out.push(...itemsSum(fiscalIn, '决算数', '年初财政拨款结转和结余', '年初财政拨款结转和结余'))
    out.push(rowsSum(fiscalIn, '决算数', '总计', ['本年收入合计', '年初财政拨款结转和结余']))
  }
  if (fiscalOut) {
    for (const column of fiscalOut.columns) {
      out.push(...itemsSum(fiscalOut, column, '本年支出合计'))
      out.push(rowsSum(fiscalOut, column, '总计', ['本年支出合计', '年末财政拨款结转和结余']))
    }
  }
  if (fiscalIn && fiscalOut) {
    out.push(sumOf('财政拨款收入支出决算总表', '决算数 ↔ 合计', '支出 总计 = 收入 总计', cellAt(fiscalOut, '总计', '合计'), [cellAt(fiscalIn, '总计', '决算数')]))
  }
  return out
}

/** A table whose first column is the total of the others (收入决算表 by source, 支出决算表 by kind, …): every row. */
const ACROSS = new Set(['本年收入合计', '本年支出合计', '合计'])
const acrossFootings = (doc: FinalAccounts): Footing[] =>
  doc.tables
    .filter((tb) => tb.columns.length > 1 && ACROSS.has(tb.columns[0]!) && tb.part !== '情况说明')
    .flatMap((tb) =>
      tb.rows
        .filter((r) => !(tb.part && (r.label === '总计' || /结转和结余/.test(r.label)) && r.cells.slice(1).every((c) => c === null)))
        .map((r) =>
          sumOf(nameOf(tb), `row ${r.label}`, `${tb.columns[0]} = ${tb.columns.slice(1).join(' + ')}`, cellAt(tb, r, tb.columns[0]!), tb.columns.slice(1).map((c) => cellAt(tb, r, c))),
        ),
    )

/** Code-level footing: 合计 = Σ 类, each 类 = Σ its 款, each 款 = Σ its 项 (where the children are printed). */
const hierarchyFootings = (tb: Table): Footing[] => {
  const coded = tb.rows.filter((r) => r.code !== null)
  if (coded.length === 0) return []
  const childrenOf = (code: string | null): Row[] =>
    coded.filter((r) => (code === null ? r.code!.length === 3 : r.code!.length === code.length + 2 && r.code!.startsWith(code)))
  const totalRow = tb.rows.find((r) => r.code === null && r.label === '合计')
  const parents: Row[] = [...(totalRow ? [totalRow] : []), ...coded]
  return parents.flatMap((parent) => {
    const children = childrenOf(parent.code)
    if (children.length === 0) return []
    const level = parent.code === null ? '类' : parent.code.length === 3 ? '款' : '项'
    const rule = `${parent.code ?? ''} ${parent.label} = Σ ${level} (${children.map((c) => c.code).join(' + ')})`.trim()
    return tb.columns.map((column) => sumOf(nameOf(tb), column, rule, cellAt(tb, parent, column), children.map((c) => cellAt(tb, c, column))))
  })
}

/** 人员经费 = 301 + 303 and 公用经费 = 302 + 310 (shared/reference: economic classes). */
const economicFootings = (doc: FinalAccounts): Footing[] => {
  const tb = tableOf(doc, '一般公共预算财政拨款基本支出决算表')
  if (!tb) return []
  const byCode = (code: string) => tb.rows.find((r) => r.code === code) ?? code
  return [
    ['人员经费合计', ['301', '303']],
    ['公用经费合计', ['302', '310']],
  ].map(([total, codes]) =>
    sumOf(nameOf(tb), '决算数', `${total} = ${(codes as string[]).join(' + ')}`, cellAt(tb, total as string, '决算数'), (codes as string[]).map((c) => cellAt(tb, byCode(c), '决算数'))),
  )
}

/** The 三公 table: 合计 over the categories, and 公务用车 over 购置 and 运行维护 (each spelt two ways in print). */
const sangongFootings = (doc: FinalAccounts): Footing[] => {
  const tb = tableOf(doc, '财政拨款“三公”经费支出决算表')
  if (!tb) return []
  const spelt = (...names: string[]) => names.find((n) => tb.rows.some((r) => r.label === n)) ?? names[0]!
  const car = spelt('公务用车购置及运行维护费', '公务用车购置及运行费')
  const run = spelt('公务用车运行维护费', '公务用车运行费')
  return tb.columns.flatMap((column) => [
    rowsSum(tb, column, '合计', ['因公出国（境）费', car, '公务接待费']),
    rowsSum(tb, column, car, ['公务用车购置费', run]),
  ])
}

/** Tables that print the same figure twice must agree (the 总表 against the detail tables). */
const crossFootings = (doc: FinalAccounts): Footing[] => {
  const out: Footing[] = []
  const pair = (a: Table | undefined, b: Table | undefined, rule: string, column: string, total: At, parts: At[]) => {
    if (a && b) out.push(sumOf(`${nameOf(a)} ↔ ${nameOf(b)}`, column, rule, total, parts))
  }
  const allIn = tableOf(doc, '收入支出决算总表', '收入')
  const allOut = tableOf(doc, '收入支出决算总表', '支出')
  const income = tableOf(doc, '收入决算表')
  const spending = tableOf(doc, '支出决算表')
  const fiscalOut = tableOf(doc, '财政拨款收入支出决算总表', '支出')
  const general = tableOf(doc, '一般公共预算财政拨款支出决算表')
  const basic = tableOf(doc, '一般公共预算财政拨款基本支出决算表')
  pair(allIn, income, '本年收入合计 = 收入决算表 合计', '决算数', cellAt(allIn, '本年收入合计', '决算数'), [cellAt(income, '合计', '本年收入合计')])
  pair(allOut, spending, '本年支出合计 = 支出决算表 合计', '决算数', cellAt(allOut, '本年支出合计', '决算数'), [cellAt(spending, '合计', '本年支出合计')])
  const byClass = (summary: Table | undefined, detail: Table | undefined, summaryColumn: string, detailColumn: string) => {
    if (!summary || !detail) return
    for (const cls of detail.rows.filter((r) => r.code?.length === 3)) {
      const line = summary.rows.find((r) => NUMBERED.test(r.label) && unnumbered(r.label) === cls.label)
      pair(summary, detail, `${cls.label} = ${cls.code}`, summaryColumn, cellAt(summary, line ?? `…${cls.label}`, summaryColumn), [cellAt(detail, cls, detailColumn)])
    }
  }
  byClass(allOut, spending, '决算数', '本年支出合计')
  byClass(fiscalOut, general, '一般公共预算财政拨款', '合计')
  pair(basic, general, '人员经费合计 + 公用经费合计 = 基本支出', '决算数 ↔ 基本支出', cellAt(general, '合计', '基本支出'), [
    cellAt(basic, '人员经费合计', '决算数'),
    cellAt(basic, '公用经费合计', '决算数'),
  ])
  return out
}

/** Figures the 情况说明 gives beside a table (年初预算 by 项): 合计 over the lines, and each 决算数 against the table's. */
const statedFootings = (doc: FinalAccounts): Footing[] =>
  doc.tables
    .filter((tb) => tb.part === '情况说明')
    .flatMap((tb) => {
      const lines = tb.rows.filter((r) => r.label !== '合计')
      const table = tableOf(doc, tb.title)
      const sums = tb.columns.map((column) => sumOf(nameOf(tb), column, `合计 = Σ 项 (${lines.length} lines)`, cellAt(tb, '合计', column), lines.map((r) => cellAt(tb, r, column))))
      const same = lines
        .filter((r) => r.code !== null && table && tb.columns.includes('决算数'))
        .map((r) =>
          sumOf(`${nameOf(tb)} ↔ ${nameOf(table!)}`, '决算数 ↔ 合计', `${r.code} ${r.label}`, cellAt(tb, r, '决算数'), [cellAt(table, table!.rows.find((x) => x.code === r.code) ?? `${r.code}`, '合计')]),
        )
      return [...sums, ...same]
    })

/** Every identity that applies to the document, with the printed total, the sum of the printed parts and the drift. */
export const footings = (doc: FinalAccounts): Footing[] => [
  ...summaryFootings(doc),
  ...acrossFootings(doc),
  ...doc.tables.filter((tb) => tb.part !== '情况说明').flatMap(hierarchyFootings),
  ...economicFootings(doc),
  ...sangongFootings(doc),
  ...statedFootings(doc),
  ...crossFootings(doc),
]

/** The footings that were checked and do not foot. */
export const drifts = (doc: FinalAccounts): Footing[] => footings(doc).filter((f) => f.drift !== '' && f.drift !== '0.00')

/** The drifts in words, as the reproduction test names them. */
export const describeDrift = (f: Footing): string =>
  `${f.table} ${f.column}: ${f.rule} — printed ${f.printed}, parts sum to ${f.computed}, differs by ${f.drift} 万元`
