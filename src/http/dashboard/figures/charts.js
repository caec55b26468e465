/*
 * The two charts (Apache ECharts, loaded as a plain script before the modules). Every figure is
 * the server's (GET …/execution: 万元 twins and rates); the page only draws them.
 */
import { $ } from '../core/dom.js'

const FONT = '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
const charts = {}
/** The figures last drawn, to draw again at a new size (the axis labels' room changes). */
let last = null

const chart = (id) => {
  if (!window.echarts) return null
  return (charts[id] ||= window.echarts.init($(id), null, { renderer: 'canvas' }))
}

const money = (v) => Number(v).toFixed(2)
const wan = (v) => money(v) + ' 万元'

/**
 * A class's axis label: its code and name (cut to the room each class has), and under it its
 * execution rate, so the rate never sits on a short bar where it would run into the axis labels.
 */
const classLabel = (c) => c.code + ' ' + c.name + '\n' + (c.rate == null || Number(c.spent) === 0 ? ' ' : '{rate|执行 ' + c.rate + '%}')

export const renderCharts = (x) => {
  last = x
  const byClass = chart('chart-class')
  const byMonth = chart('chart-month')
  if (!byClass || !byMonth) {
    $('chart-class').textContent = $('chart-month').textContent = '图表组件未能加载（/vendor/echarts.min.js）'
    return
  }
  // The room one class's label has on the axis (layout, not a figure): the chart's width shared out.
  const room = Math.max(56, Math.floor(($('chart-class').clientWidth - 60) / Math.max(1, x.byClass.length)) - 8)
  byClass.setOption(
    {
      textStyle: { fontFamily: FONT },
      animationDuration: 300,
      tooltip: { trigger: 'axis', valueFormatter: wan },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: x.byClass.map(classLabel),
        axisLabel: { interval: 0, width: room, overflow: 'truncate', lineHeight: 16, margin: 10, rich: { rate: { color: '#b35c00', fontWeight: 'bold' } } },
        axisTick: { alignWithLabel: true },
      },
      yAxis: { type: 'value', name: '万元' },
      series: [
        { name: '年初预算', type: 'bar', data: x.byClass.map((c) => Number(c.initialWan)), itemStyle: { color: '#9fb3c8' } },
        { name: '调整后预算', type: 'bar', data: x.byClass.map((c) => Number(c.adjustedWan)), itemStyle: { color: '#2f6fad' } },
        { name: '已支出', type: 'bar', data: x.byClass.map((c) => Number(c.spentWan)), itemStyle: { color: '#d9822b' } },
      ],
    },
    true,
  )
  const months = x.byMonth
  const spentAny = months.some((m) => Number(m.spent) !== 0)
  byMonth.setOption(
    {
      textStyle: { fontFamily: FONT },
      animationDuration: 300,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      graphic: spentAny ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: '本年度尚无支出记录', fill: '#8a96a3', fontSize: 14, fontFamily: FONT } }],
      xAxis: { type: 'category', data: months.map((m) => (m.month.slice(0, 4) === String(x.year) ? Number(m.month.slice(5)) + '月' : m.month)) },
      yAxis: [
        { type: 'value', name: '万元', minInterval: 1 },
        { type: 'value', name: '执行率', min: 0, max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
      ],
      series: [
        { name: '当月支出', type: 'bar', data: months.map((m) => Number(m.spentWan)), itemStyle: { color: '#d9822b' }, tooltip: { valueFormatter: wan } },
        { name: '累计支出', type: 'line', data: months.map((m) => Number(m.cumulativeWan)), itemStyle: { color: '#2f6fad' }, symbolSize: 6, tooltip: { valueFormatter: wan } },
        {
          name: '累计执行率', type: 'line', yAxisIndex: 1, itemStyle: { color: '#1e7d3a' }, lineStyle: { type: 'dashed' }, symbolSize: 4,
          // The server's running rate (for the chart; the exact rate of the year is the 预算执行率 indicator).
          data: months.map((m) => (m.cumulativeRate == null ? null : Number(m.cumulativeRate))),
          tooltip: { valueFormatter: (v) => (v == null ? '—' : money(v) + '%') },
        },
      ],
    },
    true,
  )
}

export const clearCharts = () => {
  last = null
  for (const c of Object.values(charts)) c.clear()
}

export const resizeCharts = () => {
  for (const c of Object.values(charts)) c.resize()
  if (last) renderCharts(last)
}
