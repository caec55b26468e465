/*
 * Loading what the page shows for the chosen unit (or department), year, table and moment: one
 * refresh at a time, again while the live stream announced a newer revision than the one read.
 */
import { getJson } from '../core/api.js'
import { markExplainable } from '../audit/explain.js'
import { markLineRows } from '../audit/line-view.js'
import { showConnected, showContext } from './context.js'
import { clearCharts, renderCharts } from '../figures/charts.js'
import { indicatorsNote, renderIndicators } from '../figures/indicators.js'
import { showMessage } from '../core/message.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { clearTable, fetchTable, loadTableLists, renderTable, renderTabs } from '../figures/tables.js'
import { clearReport, showReport } from '../figures/report.js'
import { describeAsOf } from '../wording/time.js'

let refreshing = null
let again = false

const isNoRoute = (err) => err && err.status === 404 && err.body && /^no route/.test(err.body.detail || '')

/** Empties what the page shows (a moment before the year existed). */
const clearContent = () => {
  indicatorsNote('')
  clearTable()
  clearCharts()
  clearReport()
}

const refreshOnce = async (onSelectTable) => {
  document.body.dataset.state = 'loading'
  if (!state.tables.length) {
    state.tables = await loadTableLists()
    renderTabs(onSelectTable)
  }
  // A department has no execution charts (they are one unit-year's), nor one revision to show.
  const unit = !state.department
  const [x, ind, tab, rep] = await Promise.allSettled([
    unit ? getJson(withAsOf(yearPath() + '/execution')) : Promise.resolve(null),
    getJson(withAsOf(yearPath() + '/indicators')),
    fetchTable(),
    showReport(true),
  ])
  const notThen = (r) => r.status === 'rejected' && r.reason.status === 404

  if (state.asOf && notThen(unit ? x : tab)) {
    clearContent()
    state.revision = null
    showContext()
    showMessage('在所选时点（' + describeAsOf(state.asOf) + '）账本中还没有这个预算年度：请选择更晚的时点，或点“回到当前”。', 'info')
    document.body.dataset.state = 'ready'
    return
  }

  const errors = []
  // The revision shown is the oldest any part was read at, so a change that landed between the
  // reads makes the page read again (see refresh).
  const revisions = []
  if (x.status === 'rejected') errors.push('图表：' + x.reason.message)
  else if (x.value) {
    revisions.push(x.value.body.revision)
    renderCharts(x.value.body)
  }

  if (ind.status === 'fulfilled') {
    const indicators = ind.value.body
    if (state.asOf && x.status === 'fulfilled' && x.value && indicators.revision !== x.value.body.revision) {
      // The server answered with the indicators of another moment (it does not take asOf there).
      indicatorsNote('绩效指标暂不能按历史时点查询（服务器返回的是修订号 ' + indicators.revision + ' 的当前数据），为免误读不予显示；点“回到当前”查看。')
    } else {
      if (unit && typeof indicators.revision === 'number') revisions.push(indicators.revision)
      renderIndicators(indicators)
    }
  } else if (isNoRoute(ind.reason)) {
    indicatorsNote('本服务器尚未提供绩效指标接口（GET …/indicators），其余内容不受影响。')
  } else errors.push('绩效指标：' + ind.reason.message)

  if (tab.status === 'fulfilled') {
    showTableBody(tab.value.body)
    if (tab.value.revision !== null) revisions.push(tab.value.revision)
  } else errors.push('预算表：' + tab.reason.message)
  if (rep.status === 'rejected') errors.push('情况说明：' + rep.reason.message)

  if (revisions.length) state.revision = Math.min(...revisions)
  showContext()
  showConnected()
  showMessage(errors.join('\n'))
  document.body.dataset.state = 'ready'
}

/** Reads and shows everything; a call while one runs makes it go once more. */
export const refresh = (onSelectTable) => {
  if (refreshing) {
    again = true
    return refreshing
  }
  refreshing = (async () => {
    try {
      // Again while a change arrived meanwhile (bounded: a failing read must not loop).
      for (let round = 0; round < 3; round++) {
        again = false
        await refreshOnce(onSelectTable)
        const behind = !state.asOf && state.latest != null && state.revision != null && state.latest > state.revision
        if (!again && !behind) break
      }
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

export const isRefreshing = () => refreshing !== null

/** A table drawn, its figures ready to be followed where the credentials allow. */
const showTableBody = (body) => {
  renderTable(body)
  markExplainable()
  markLineRows()
}

/** Shows another table of the same year. */
export const showTable = async () => {
  const [tab] = await Promise.all([fetchTable(), showReport()])
  showTableBody(tab.body)
}
