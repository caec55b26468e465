import { displayWidth } from '../render'
import type { IndicatorDrill } from './indicator-drilldown'
import type { IndicatorReport, IndicatorView, Quantity } from './indicators'

/** Aligned text of the indicators (and their drill-down) for people; programs read the JSON. */

const pad = (s: string, width: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)))
  return right ? fill + s : s + fill
}

/** "8212345.00" → "8,212,345.00". */
export const groupDigits = (s: string): string => {
  const [int, frac] = s.split('.')
  const sign = int!.startsWith('-') ? '-' : ''
  const digits = int!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${digits}${frac === undefined ? '' : `.${frac}`}`
}

export const showAmount = (q: Quantity, value: string): string => (q === 'amount' ? `${groupDigits(value)} 元` : `${value} 个`)

/** Rows as columns padded to their widest cell (display width); the `right` columns right-aligned. */
export const grid = (rows: ReadonlyArray<ReadonlyArray<string>>, right: ReadonlyArray<number>): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))))
  return rows.map((r) => r.map((cell, c) => pad(cell, widths[c]!, right.includes(c))).join('  ').trimEnd())
}

const percentText = (v: string | null) => (v === null ? '—' : `${v}%`)

export const indicatorsText = (r: IndicatorReport): string => {
  const out = [
    `部门整体绩效指标（投入管理 · 绩效管理） — ${r.unitName}（${r.unit}）  ${r.year} 年  revision ${r.revision}  ${r.closed ? '已结账' : '未结账'}`,
    '',
  ]
  const rows: string[][] = [['指标', '口径', '分子', '分母', '值', '目标', '状态']]
  for (const i of r.indicators)
    for (const v of i.variants)
      rows.push([
        v.headline ? i.name : '',
        `${v.label}${v.headline && i.variants.length > 1 ? ' *' : ''}`,
        `${v.numerator.label} ${showAmount(i.quantity, v.numerator.value)}`,
        `${v.denominator.label} ${showAmount(i.quantity, v.denominator.value)}`,
        percentText(v.value),
        i.target?.text ?? '（无目标）',
        v.statusLabel,
      ])
  const lines = grid(rows, [4])
  out.push(lines[0]!, '-'.repeat(displayWidth(lines[0]!)), ...lines.slice(1), '')
  out.push('* 标题口径（headline）：该指标的值与状态取此口径。')
  for (const i of r.indicators) {
    if (i.headlineWhy) out.push(`  ${i.name}：取${i.variants[0]!.label}，${i.headlineWhy}`)
  }
  const notes = r.indicators.flatMap((i) => i.variants.filter((v) => v.note).map((v) => `  ${i.name}（${v.label}）：${v.statusLabel} — ${v.note}`))
  if (notes.length) out.push('', '注：', ...notes)
  if (r.projectResults.length) {
    out.push('', '项目绩效目标完成情况')
    const pr: string[][] = [['项目', '指标', '目标', '实际', '状态']]
    for (const p of r.projectResults) pr.push([clip(`${p.line} ${p.project}`, 32), clip(p.target, 32), p.expected, p.actual ?? '—', p.statusLabel])
    const pl = grid(pr, [])
    out.push(pl[0]!, '-'.repeat(displayWidth(pl[0]!)), ...pl.slice(1))
  }
  return `${out.join('\n')}\n`
}

/** One line per indicator whose headline changed: "预算调整率 28.10% → 32.40%（目标 ≤30%） 未达标". */
export const indicatorChanges = (before: IndicatorReport | undefined, after: IndicatorReport): string[] => {
  const prior = new Map((before?.indicators ?? []).map((i) => [i.id, i]))
  const show = (i: IndicatorView | undefined) => (i ? percentText(i.value) : '—')
  return after.indicators.flatMap((i) => {
    const b = prior.get(i.id)
    if (b && b.value === i.value && b.status === i.status) return []
    return [`${i.name} ${show(b)} → ${show(i)}${i.target ? `（目标 ${i.target.text}）` : ''} ${i.statusLabel}`]
  })
}

export const drillText = (d: IndicatorDrill): string => {
  const out = [`${d.name}（${d.id}）：构成分子与分母的事件 — ${d.unitName}（${d.unit}） ${d.year} 年${d.consolidated ? '（合并）' : ''}`, `公式：${d.formula}`]
  const figure = (v: string) => (d.quantity === 'amount' ? groupDigits(v) : v)
  for (const v of d.variants) {
    out.push('', `【${v.label}${v.headline ? '（标题口径）' : ''}】`)
    for (const [side, s] of [['分子', v.numerator], ['分母', v.denominator]] as const) {
      // A department's side is its units' added up: say which part each gives.
      const parts = s.parts ? ` = ${s.parts.map((p) => `${p.unit} ${figure(p.total)}`).join(' + ')}` : ''
      out.push(`${side} ${s.label} = ${showAmount(d.quantity, s.total)}${parts}（${s.events.length} 个事件）`)
      if (s.events.length === 0) continue
      const unit = (cells: string[], u: string) => (d.consolidated ? [cells[0]!, u, ...cells.slice(1)] : cells)
      const rows: string[][] = [unit(['rev', '日期', '类型', '金额', '经办人', '事由', '文号', 'id'], '单位')]
      for (const e of s.events)
        rows.push(unit([String(e.revision), e.effectiveDate, e.type, figure(e.amount), e.actor, clip(e.reason), e.document ?? '', e.id], e.unit ?? ''))
      for (const l of grid(rows, [0, d.consolidated ? 4 : 3])) out.push(`  ${l}`)
    }
  }
  return `${out.join('\n')}\n`
}

const clip = (s: string, max = 30): string => (displayWidth(s) > max ? `${[...s].slice(0, max / 2 - 1).join('')}…` : s)
