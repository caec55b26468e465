/*
 * The recording panel (finance only, never at a past moment): one screen per kind of command,
 * chosen from the list at its top. With no year in the ledger only 新建预算年度 is offered.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { state, yearPath } from '../core/state.js'
import { showAllocate, wireAllocate } from './allocate.js'
import { showCloseYear, wireCloseYear } from './close-year.js'
import { wireNextYear } from './next-year.js'
import { showOpenYear, wireOpenYear } from './open-year.js'
import { showRecordForm, wireRecordForm } from './record-form.js'
import { showReverse, wireReverse } from './reverse.js'
import { showTargets, wireTargets } from './targets.js'

/** The screens, in the order offered: [id, title, what it shows with the year's lines]. */
const SCREENS = [
  ['adjust', '调整与支出', showRecordForm],
  ['open', '新建预算年度', showOpenYear],
  ['allocate', '分配预算行', showAllocate],
  ['reverse', '冲销', showReverse],
  ['targets', '绩效目标', showTargets],
  ['close', '年度结转', showCloseYear],
  ['next', '开启下一年度', () => {}],
]

let chosen = 'adjust'
let lines = []

const screenOf = (id) => $('screen-' + id)

const choose = async (id) => {
  chosen = id
  for (const [s] of SCREENS) {
    screenOf(s).hidden = s !== id
    $('rs-' + s).setAttribute('aria-pressed', String(s === id))
  }
  await SCREENS.find(([s]) => s === id)[2](lines)
}

/**
 * Shows the panel to a finance person, with the open year's lines (null: the ledger has no year,
 * so only a new year can be recorded); hides it from anyone else and at a past moment.
 */
export const showRecording = async (hasYear) => {
  const may = !!state.person && state.person.role === 'finance' && !state.asOf
  $('record-panel').hidden = !may
  if (!may) return
  lines = hasYear ? (await getJson(yearPath())).body.lines : []
  for (const [s] of SCREENS) $('rs-' + s).hidden = !hasYear && s !== 'open'
  await choose(hasYear ? chosen : 'open')
}

/** recorded(): the year changed; opened(unit, year): a year was opened, to be shown. */
export const wireRecording = (recorded, opened) => {
  $('record-screens').replaceChildren(
    ...SCREENS.map(([id, title]) => el('button', { type: 'button', id: 'rs-' + id, 'aria-pressed': 'false', 'aria-controls': 'screen-' + id, text: title })),
  )
  for (const [id] of SCREENS) $('rs-' + id).addEventListener('click', () => choose(id).catch((e) => ($('record-screens-status').textContent = e.message)))
  wireRecordForm(recorded)
  wireOpenYear(screenOf('open'), opened)
  wireAllocate(screenOf('allocate'), recorded)
  wireReverse(screenOf('reverse'), recorded)
  wireTargets(screenOf('targets'), recorded)
  wireCloseYear(screenOf('close'), recorded)
  wireNextYear(screenOf('next'), opened)
}
