import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  decodeFinalAccounts,
  describeDrift,
  type FinalAccounts,
  finalAccountsIds,
  footings,
  loadFinalAccounts,
  rateChecks,
  readFinalAccounts,
} from './support/final-accounts-fixture'

/**
 * What each published 部门决算 kept in test/fixtures/final-accounts says about itself: which of its
 * totals foot and where it drifts. The reproduction tests will name these drifts when the ledger's
 * own tables (which foot exactly) are compared with the documents.
 */

const SANGONG = '财政拨款“三公”经费支出决算表'

/** A fixture as raw JSON, changed by `edit`: for the decode and checker failure cases. */
const edited = (id: string, edit: (doc: any) => void): unknown => {
  const doc = structuredClone(readFinalAccounts(id)) as any
  edit(doc)
  return doc
}

const messages = (input: unknown): string[] => {
  const decoded = decodeFinalAccounts(input)
  return E.isLeft(decoded) ? decoded.left.map((e) => e.message) : []
}

const decoded = (input: unknown): FinalAccounts => {
  const d = decodeFinalAccounts(input)
  if (E.isLeft(d)) throw new Error(d.left.map((e) => e.message).join('\n'))
  return d.right
}

describe('published 部门决算 fixtures', () => {
  it('given the fixture folder, when every file is decoded, then each names its source, year and 万元, and its id is its file name', () => {
    const ids = finalAccountsIds()
    expect(ids).toEqual(['guangdong-czt-2023', 'quxian-nongji-2024', 'urumqi-zwfwzx-2023'])
    for (const id of ids) {
      const doc = loadFinalAccounts(id)
      expect(doc.id).toBe(id)
      expect(doc.source.url).toMatch(/^https?:\/\//)
      expect(doc.amountUnit).toBe('万元')
      expect(doc.tables.length).toBeGreaterThan(0)
    }
  })

  it('given the 乌鲁木齐市政务服务中心 2023 决算, when its 收入支出决算总表 is footed, then each side drifts by 0.01 万元 while 收入总计 equals 支出总计', () => {
    const drifts = footings(loadFinalAccounts('urumqi-zwfwzx-2023')).map((f) => [f.rule, f.printed, f.computed, f.drift])
    expect(drifts).toEqual([
      ['收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余', '434.72', '434.71', '0.01'],
      ['支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余', '434.72', '434.71', '0.01'],
      ['支出总计 = 收入总计', '434.72', '434.72', '0.00'],
    ])
    expect(describeDrift(footings(loadFinalAccounts('urumqi-zwfwzx-2023'))[0]!)).toBe(
      '收入支出决算总表 决算数: 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 — printed 434.72, parts sum to 434.71, differs by 0.01 万元',
    )
  })

  it('given the 乌鲁木齐 document, when its growth against last year is recomputed from its printed figures, then it agrees (15.46%)', () => {
    expect(rateChecks(loadFinalAccounts('urumqi-zwfwzx-2023')).map((r) => [r.printed, r.computed, r.agrees])).toEqual([['15.46', '15.46', true]])
  })

  it('given the 广东省财政厅 2023 三公 table, when footed, then 合计 and 公务用车购置及运行维护费 foot exactly in both 预算数 and 决算数', () => {
    const fs = footings(loadFinalAccounts('guangdong-czt-2023'))
    expect(fs.map((f) => [f.table, f.column, f.printed, f.computed, f.drift])).toEqual([
      [SANGONG, '预算数', '84.82', '84.82', '0.00'],
      [SANGONG, '决算数', '62.07', '62.07', '0.00'],
      [SANGONG, '预算数', '29.60', '29.60', '0.00'],
      [SANGONG, '决算数', '27.46', '27.46', '0.00'],
    ])
  })

  it('given the 广东省财政厅 document, when its rates are recomputed from its printed figures, then all agree but the 公务接待费 growth: printed 1,055.4%, the printed figures give 1052.6%', () => {
    const checks = rateChecks(loadFinalAccounts('guangdong-czt-2023'))
    expect(checks).toHaveLength(13)
    expect(checks.filter((c) => !c.agrees).map((c) => [c.what, c.printed, c.computed])).toEqual([
      ['公务接待费 决算数 against 上年 (change 20.63)', '1,055.4', '1052.6'],
    ])
  })

  it('given the 渠县 2024 决算 of which only the totals were retrieved, when footed, then 收入总计 equals 支出总计 and each side is left unchecked, naming the rows it lacks', () => {
    const fs = footings(loadFinalAccounts('quxian-nongji-2024'))
    expect(fs.map((f) => [f.rule, f.drift, f.missing])).toEqual([
      ['收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余', '', ['本年收入合计', '使用非财政拨款结余', '年初结转和结余']],
      ['支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余', '', ['本年支出合计', '结余分配', '年末结转和结余']],
      ['支出总计 = 收入总计', '0.00', []],
    ])
  })

  it('given the 渠县 table set, when set beside the nine tables of the issue, then it adds five provincial tables and prints 基本支出 as a 明细表', () => {
    const nine = [
      '收入支出决算总表',
      '收入决算表',
      '支出决算表',
      '财政拨款收入支出决算总表',
      '一般公共预算财政拨款支出决算表',
      '一般公共预算财政拨款基本支出决算表',
      SANGONG,
      '政府性基金预算财政拨款收入支出决算表',
      '国有资本经营预算财政拨款支出决算表',
    ]
    const set = loadFinalAccounts('quxian-nongji-2024').tableSet
    expect(set.filter((title) => !nine.includes(title))).toEqual([
      '财政拨款支出决算明细表',
      '一般公共预算财政拨款支出决算明细表',
      '一般公共预算财政拨款基本支出决算明细表',
      '一般公共预算财政拨款项目支出决算表',
      '国有资本经营预算财政拨款收入支出决算表',
    ])
    expect(nine.filter((title) => !set.includes(title))).toEqual(['一般公共预算财政拨款基本支出决算表'])
  })

  it('given a printed figure changed by 0.01, when footed, then the drift follows the figure: the checker adds, it does not remember', () => {
    const doc = decoded(
      edited('urumqi-zwfwzx-2023', (d) => {
        d.tables[0].rows[2].cells[0] = '0.56'
      }),
    )
    expect(footings(doc).map((f) => f.drift)).toEqual(['0.00', '0.01', '0.00'])
  })

  it('given a function-coded table, when footed, then 合计 is checked against its 类, each 类 against its 款 and each 款 against its 项, naming the drift', () => {
    const doc = decoded(
      edited('urumqi-zwfwzx-2023', (d) => {
        d.tables = [
          {
            title: '支出决算表',
            coverage: 'complete',
            columns: ['基本支出', '项目支出'],
            rows: [
              { code: null, label: '合计', cells: ['60.01', '40.00'] },
              { code: '201', label: '一般公共服务支出', cells: ['50.00', '40.00'] },
              { code: '20103', label: '政府办公厅（室）及相关机构事务', cells: ['50.00', '40.00'] },
              { code: '2010301', label: '行政运行', cells: ['50.00', null] },
              { code: '2010399', label: '其他政府办公厅（室）及相关机构事务支出', cells: [null, '39.99'] },
              { code: '208', label: '社会保障和就业支出', cells: ['10.00', null] },
            ],
          },
        ]
        d.statedRates = []
      }),
    )
    expect(footings(doc).map((f) => [f.rule, f.column, f.drift])).toEqual([
      ['合计 = Σ 类 (一般公共服务支出 + 社会保障和就业支出)', '基本支出', '0.01'],
      ['合计 = Σ 类 (一般公共服务支出 + 社会保障和就业支出)', '项目支出', '0.00'],
      ['一般公共服务支出 = Σ 款 (政府办公厅（室）及相关机构事务)', '基本支出', '0.00'],
      ['一般公共服务支出 = Σ 款 (政府办公厅（室）及相关机构事务)', '项目支出', '0.00'],
      ['政府办公厅（室）及相关机构事务 = Σ 项 (行政运行 + 其他政府办公厅（室）及相关机构事务支出)', '基本支出', '0.00'],
      ['政府办公厅（室）及相关机构事务 = Σ 项 (行政运行 + 其他政府办公厅（室）及相关机构事务支出)', '项目支出', '0.01'],
    ])
  })
})

describe('decoding a 部门决算 fixture', () => {
  it('given a figure typed as a JSON number, when decoded, then the error names the cell and asks for the printed string', () => {
    const input = edited('urumqi-zwfwzx-2023', (d) => {
      d.tables[0].rows[3].cells[0] = 434.72
    })
    expect(messages(input)).toEqual([
      'tables[0].rows[3].cells[0]: expected a figure as printed, as a string (e.g. "434.72", "29.6", "1,055.4") or null, got 434.72',
    ])
  })

  it('given a decimal comma, when decoded, then the error names the cell', () => {
    const input = edited('guangdong-czt-2023', (d) => {
      d.tables[0].rows[5].cells[1] = '22,59'
    })
    expect(messages(input)).toEqual([
      'tables[0].rows[5].cells[1]: expected a figure as printed, as a string (e.g. "434.72", "29.6", "1,055.4") or null, got "22,59"',
    ])
  })

  it('given a row with one cell too few, when decoded, then the error names the table, the row and the columns it needs', () => {
    const input = edited('guangdong-czt-2023', (d) => {
      d.tables[0].rows[1].cells = ['12.02']
    })
    expect(messages(input)).toEqual([
      `tables[0].rows[1].cells: ${SANGONG} row 因公出国（境）费 has 1 cells, expected 2 cells (预算数, 决算数)`,
    ])
  })

  it('given a misspelt field, an amount in 元 and a code of 4 digits, when decoded, then each is named by its path', () => {
    const input = edited('urumqi-zwfwzx-2023', (d) => {
      d.amountUnit = '元'
      d.tables[0].rows[0].code = '2010'
      d.source.retreived = d.source.retrieved
    })
    expect(messages(input)).toEqual([
      'amountUnit: expected "万元", got "元"',
      'source.retreived: no such field (known fields: url, copyOf, retrieved, via, retrievedPart)',
      'tables[0].rows[0].code: expected a code of 3, 5 or 7 digits (e.g. "2010301") or null, got "2010"',
    ])
  })
})
