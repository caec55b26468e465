/*
 * 新建预算年度 (OpenBudgetYear): the unit, the year and the unit type. Also offered when the ledger
 * has no year yet. A new year has no revision to match: it is sent without If-Match, and the
 * ledger refuses a year that is already open.
 */
import { $ } from '../core/dom.js'
import { state } from '../core/state.js'
import { contextFieldOf, contextFields, field, formShell, input, orNull, select, valueOf } from './controls.js'
import { recordingForm } from './form-kit.js'

const FIELDS = { 'data.unit.code': 'oy-unit', 'data.unit.name': 'oy-name', 'data.year': 'oy-year', 'data.unitType': 'oy-type', ...contextFieldOf('oy') }

const typedYear = () => (/^\d{4}$/.test(valueOf('oy-year')) ? Number(valueOf('oy-year')) : valueOf('oy-year'))

const request = () => ({
  path: '/api/units/' + encodeURIComponent(valueOf('oy-unit')) + '/years/' + encodeURIComponent(valueOf('oy-year')) + '/commands',
  body: {
    type: 'OpenBudgetYear',
    data: { unit: { code: valueOf('oy-unit'), name: valueOf('oy-name') }, year: typedYear(), unitType: $('oy-type').value, previousYear: {} },
    reason: valueOf('oy-reason'),
    document: orNull('oy-document'),
    effectiveDate: valueOf('oy-date'),
  },
})

/** The unit shown, as the default of a new year's unit. */
export const showOpenYear = () => {
  const u = state.listing && state.listing.unit === state.unit ? state.listing : null
  if (u && !valueOf('oy-unit')) {
    $('oy-unit').value = u.unit
    $('oy-name').value = u.name || ''
  }
}

/** opened(unit, year): what the page does once the year is recorded (shows it). */
export const wireOpenYear = (box, opened) => {
  box.replaceChildren(
    ...formShell('oy', [
      field('oy-unit', '单位编码', input('oy-unit', { inputmode: 'numeric' })),
      field('oy-name', '单位名称', input('oy-name')),
      field('oy-year', '预算年度', input('oy-year', { inputmode: 'numeric', placeholder: 'yyyy' })),
      field('oy-type', '单位类型', select('oy-type', [['administrative', '行政单位（机关）'], ['institution', '事业单位']])),
      ...contextFields('oy'),
    ]),
  )
  recordingForm({
    prefix: 'oy',
    request,
    revision: async () => null,
    fieldOf: (path) => FIELDS[path],
    recorded: (body) => opened(body.unit, body.year),
  })
}
