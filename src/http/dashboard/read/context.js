/* The context line: which unit, year, moment and revision the page shows, and the live status. */
import { $ } from '../core/dom.js'
import { state } from '../core/state.js'
import { describeAsOf, zoneClock } from '../wording/time.js'
import { shownDepartment } from './department.js'

/** Who the year shown is: a unit, or a department's units consolidated. */
const shownName = () => {
  const d = shownDepartment()
  if (d) return d.name + '（' + d.code + '）· 部门合并 '
  const u = state.listing && state.listing.unit === state.unit ? state.listing : null
  return (u && u.name ? u.name : '') + '（' + (state.unit || '—') + '）'
}

export const showContext = () => {
  $('ctx-unit').textContent = shownName() + '· ' + (state.year || '—') + ' 年度'
  const t = $('ctx-time')
  t.textContent = state.asOf ? '历史时点：' + describeAsOf(state.asOf) : '当前数据'
  t.className = state.asOf ? 'ctx-time past' : 'ctx-time'
  $('ctx-revision').textContent = state.revision == null ? '' : '账本修订号 ' + state.revision
  document.body.dataset.revision = state.revision == null ? '' : String(state.revision)
  document.body.classList.toggle('as-of', Boolean(state.asOf))
  showPrintDate()
}

/** The printed table's date: today in the ledger's zone, yyyy-mm-dd. */
export const showPrintDate = () => {
  if (state.zone) $('print-date').textContent = zoneClock(Date.now()).date
}

export const setLive = (kind, text) => {
  const l = $('live')
  l.className = 'live live-' + kind
  l.textContent = text
  document.body.dataset.live = kind
}

/** The live status once connected: live, or (as of a past moment) whether the ledger has moved on. */
export const showConnected = () => {
  if (!state.liveOn) return
  if (!state.asOf) return setLive('on', '● 实时更新')
  const newer = state.latest != null && state.revision != null && state.latest > state.revision
  setLive('on', newer ? '◆ 历史时点：账本此后已有新记录（修订号 ' + state.latest + '），点“回到当前”查看' : '◆ 历史时点：不随新记录更新')
}
