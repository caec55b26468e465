import { describe, expect, it } from 'vitest'
import type { TableJson } from '../../projections/render'
import { agrees, bareLabel, compareDocument, showMismatch } from '../support/final-accounts/final-accounts-comparison'
import type { FinalAccounts } from '../support/final-accounts/final-accounts-fixture'

/** The comparison the reproduction tests rest on: what counts as agreeing, and what does not. */

const ledgerTable = (title: string, columns: string[], rows: Array<Array<string | null>>): TableJson =>
  ({ id: 'x', number: 1, set: 'final', title, unit: '万元', unitCode: '000001', unitName: '测试', year: 2024, columns, rows }) as TableJson

const doc = (tables: FinalAccounts['tables']): FinalAccounts => ({ tables }) as unknown as FinalAccounts

const SPENDING = ledgerTable('支出决算表', ['功能分类科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出'], [
  ['', '合计', '10.00', '10.00', '0.00'],
  ['201', '一般公共服务支出', '10.00', '10.00', '0.00'],
])

const mismatches = (printed: FinalAccounts['tables'], ledger: TableJson[]) => compareDocument(doc(printed), ledger).filter((c) => !agrees(c)).map(showMismatch)

describe('setting a document beside the ledger', () => {
  it('given a figure printed with thousands separators and a blank the ledger prints as 0.00, then both agree; a printed 0.00 the ledger does not print does not', () => {
    const printed = [
      { title: '支出决算表', coverage: 'complete' as const, columns: ['本年支出合计', '项目支出', '上缴上级支出'], rows: [{ code: '201', label: '一般公共服务支出', cells: ['10.00', null, '0.00'] }] },
    ]
    expect(mismatches(printed, [SPENDING])).toEqual(['支出决算表 | 201 | 上缴上级支出 | 0.00 → (none)'])
  })

  it('given a printed figure 0.01 away from the ledger’s, or on a row the ledger lacks, then each is a mismatch naming table, row and column', () => {
    const printed = [
      {
        title: '支出决算表',
        coverage: 'complete' as const,
        columns: ['本年支出合计'],
        rows: [
          { code: null, label: '合计', cells: ['10.01'] },
          { code: '208', label: '社会保障和就业支出', cells: ['1.00'] },
          { code: '210', label: '卫生健康支出', cells: [null] },
        ],
      },
    ]
    expect(mismatches(printed, [SPENDING])).toEqual(['支出决算表 | 合计 | 本年支出合计 | 10.01 → 10.00', '支出决算表 | 208 | 本年支出合计 | 1.00 → (none)'])
  })

  it('given a two-sided 总表, then each side is read apart and a numbered label matches the ledger’s coded one, the n-th against the n-th', () => {
    const summary = ledgerTable('财政拨款收入支出决算总表', ['收入项目', '决算数', '支出项目（功能分类 类）', '合计'], [
      ['一、一般公共预算财政拨款', '5.00', '201 一般公共服务支出', '5.00'],
      ['年初财政拨款结转和结余', '2.00', '', ''],
      ['  一、一般公共预算财政拨款', '2.00', '', ''],
    ])
    const printed = [
      { title: '财政拨款收入支出决算总表', part: '收入' as const, coverage: 'complete' as const, columns: ['决算数'], rows: [
        { code: null, label: '一、一般公共预算财政拨款', cells: ['5.00'] },
        { code: null, label: '一、一般公共预算财政拨款', cells: ['2.01'] },
      ] },
      { title: '财政拨款收入支出决算总表', part: '支出' as const, coverage: 'complete' as const, columns: ['合计'], rows: [{ code: null, label: '一、一般公共服务支出', cells: ['5.00'] }] },
    ]
    expect(mismatches(printed, [summary])).toEqual(['财政拨款收入支出决算总表 收入 | 一、一般公共预算财政拨款 | 决算数 | 2.01 → 2.00'])
  })

  it('given printed labels with their numbering, then the bare label is what matches', () => {
    expect(['八、社会保障和就业支出', '201 一般公共服务支出', '其中：（1）公务用车购置费', '3、公务接待费'].map(bareLabel)).toEqual([
      '社会保障和就业支出',
      '一般公共服务支出',
      '公务用车购置费',
      '公务接待费',
    ])
  })
})
