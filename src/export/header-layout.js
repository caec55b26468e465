/*
 * The multi-level headers of the official tables (部门预算公开), as the published templates draw
 * them: tables 1 and 4 set 收入 ‖ 支出 side by side under one heading each; grouped columns share a
 * heading over their own labels (一般公共预算 over 财政拨款, 行政事业性收费, …; 基本支出 over 人员经费,
 * 公用经费; 产出指标 over 三级指标, 指标值).
 *
 * One definition for both ends: the dashboard page loads this file as a plain script (no build
 * step: it sets window.HeaderLayout) and the XLSX export requires it (src/export/layout.ts), so the
 * page and the workbook cannot draw different headers. Plain ES2017, no dependencies, pure.
 *
 * The input is a table's id and its column labels (the table JSON's `columns`); the output is the
 * header grid: rows of cells {label, col, colSpan, rowSpan}, every column covered exactly once.
 * A label the rules do not know stays a single header cell, so a renamed column degrades to a
 * flat header rather than a wrong one.
 */
;(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory()
  else root.HeaderLayout = factory()
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict'

  /** Tables printed as two sides: the side a column is on starts at the column named here. */
  var SIDES = {
    'income-expenditure-summary': { labels: ['收入', '支出'], second: /^支出项目/ },
    'fiscal-appropriation-summary': { labels: ['收入', '支出'], second: /^支出项目/ },
    'final-income-expenditure-summary': { labels: ['收入', '支出'], second: /^支出项目/ },
    'final-fiscal-appropriation-summary': { labels: ['收入', '支出'], second: /^支出项目/ },
  }

  /** The 决算 tables' spending split: 合计, 基本支出, 项目支出 under one heading. */
  var ACTUAL = { label: '决算数', columns: ['决算数合计', '基本支出', '项目支出'], leaves: ['合计', '基本支出', '项目支出'] }

  /** The 收入支出决算表 of one government fund (决算表八, 九): 本年支出 over its three columns. */
  var FUND_SPENT = { label: '本年支出', columns: ['本年支出合计', '基本支出', '项目支出'], leaves: ['合计', '基本支出', '项目支出'] }

  /** Named groups: a heading over a run of columns, each shown under its own (shorter) label. */
  var GROUPS = {
    'fiscal-appropriation-summary': [
      {
        label: '一般公共预算',
        columns: ['一般公共预算小计', '财政拨款', '行政事业性收费', '专项收入', '国有资产资源有偿使用收入', '政府住房基金收入'],
        leaves: ['小计', '财政拨款', '行政事业性收费', '专项收入', '国有资产资源有偿使用收入', '政府住房基金收入'],
      },
    ],
    'general-budget-expenditure': [
      { label: '基本支出', columns: ['基本支出小计', '人员经费', '公用经费', '未细分'], leaves: ['小计', '人员经费', '公用经费', '未细分'] },
    ],
    'final-general-budget-expenditure': [ACTUAL],
    'final-state-capital-expenditure': [FUND_SPENT],
    'final-government-fund': [FUND_SPENT],
  }

  /** Generic groups in a label: "一般公共预算·财政拨款", "产出指标 三级指标". */
  var SPLIT = [/^([^·]+)·(.+)$/, /^(\S+指标) (\S.*)$/]

  /** The heading path of every column: [side?, group?, leaf]. */
  function paths(id, columns) {
    var out = columns.map(function (label) {
      for (var i = 0; i < SPLIT.length; i++) {
        var m = SPLIT[i].exec(label)
        if (m) return [m[1], m[2]]
      }
      return [label]
    })
    var groups = GROUPS[id] || []
    groups.forEach(function (g) {
      var start = columns.indexOf(g.columns[0])
      if (start < 0) return
      for (var k = 0; k < g.columns.length; k++) if (columns[start + k] !== g.columns[k]) return
      for (var j = 0; j < g.columns.length; j++) out[start + j] = [g.label, g.leaves[j]]
    })
    var sides = SIDES[id]
    if (sides) {
      var second = -1
      for (var c = 1; c < columns.length; c++)
        if (sides.second.test(columns[c])) {
          second = c
          break
        }
      if (second > 0) out = out.map(function (p, c) { return [sides.labels[c < second ? 0 : 1]].concat(p) })
    }
    return out
  }

  /**
   * The header grid. A column's last heading (its leaf) spans down to the bottom row; headings
   * above it merge across neighbouring columns that share the same path down to them.
   */
  function headerRows(id, columns) {
    var ps = paths(id, columns)
    var depth = Math.max.apply(null, [1].concat(ps.map(function (p) { return p.length })))
    var rows = []
    for (var level = 0; level < depth; level++) {
      var row = []
      for (var col = 0; col < ps.length; col++) {
        var p = ps[col]
        if (level >= p.length) continue
        if (level === p.length - 1) {
          row.push({ label: p[level], col: col, colSpan: 1, rowSpan: depth - level })
          continue
        }
        var prefix = p.slice(0, level + 1).join('\u0000')
        var span = 1
        while (col + span < ps.length && ps[col + span].length - 1 > level && ps[col + span].slice(0, level + 1).join('\u0000') === prefix) span++
        row.push({ label: p[level], col: col, colSpan: span, rowSpan: 1 })
        col += span - 1
      }
      rows.push(row)
    }
    return rows
  }

  return { headerRows: headerRows }
})
