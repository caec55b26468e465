/*
 * The audit screens together (finance and auditors; a dashboard reader sees none of them):
 * 历史记录 with 更正 for finance, 预算行明细 and 对比两个时点. They share the year's lines, read
 * once per year or moment opened.
 */
import { getJson } from '../core/api.js'
import { state, withAsOf, yearPath } from '../core/state.js'
import { closeCorrection, openCorrection, wireCorrection } from './correction.js'
import { loadHistory, resetHistory, showHistory, wireHistory } from './history.js'
import { setLines } from './line-names.js'
import { markLineRows, openLine, showLineView, wireLineView } from './line-view.js'
import { showDiff, wireDiff } from './table-diff.js'

let may = false

/** Shows (or hides) the screens for the credentials and moment chosen; `fresh`: another unit-year. */
export const showAuditScreens = async (allowed, fresh) => {
  may = allowed
  closeCorrection()
  if (fresh) resetHistory()
  setLines(may ? (await getJson(withAsOf(yearPath()))).body.lines : [])
  // Correcting writes: finance, signed in as themselves, on the ledger as it stands.
  const correcting = may && !!state.person && state.person.role === 'finance' && !state.asOf
  showLineView(may)
  // The table may have been drawn before the lines were known.
  markLineRows()
  await showHistory(may, correcting)
}

/** The table list is read with the tables: the diff offers it once it is there. */
export const showTableChoices = () => showDiff(may)

export const wireAuditScreens = (recorded) => {
  wireCorrection(async () => {
    await recorded()
    await loadHistory()
  })
  wireHistory({ onCorrect: openCorrection, onLine: openLine })
  wireLineView()
  wireDiff({ onLine: openLine })
}
