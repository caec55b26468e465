/*
 * 开启下一年度: the year after the shown one, once it is closed, with its 结转 carried in as 上年结转
 * lines (POST …/next-year; the ledger decides what is carried). 事由 and 业务日期 may be left out:
 * the ledger then says what is carried, dated 1 January.
 */
import { el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { contextFieldOf, contextFields, formShell, orNull, valueOf } from './controls.js'
import { currentYearRevision, recordingForm } from './form-kit.js'

const request = () => {
  const body = {}
  if (valueOf('ny-reason')) body.reason = valueOf('ny-reason')
  if (orNull('ny-document')) body.document = orNull('ny-document')
  if (valueOf('ny-date')) body.effectiveDate = valueOf('ny-date')
  return { path: yearPath() + '/next-year', body }
}

/** opened(unit, year): what the page does once the next year is recorded (shows it). */
export const wireNextYear = (box, opened) => {
  box.replaceChildren(...formShell('ny', contextFields('ny', true)))
  recordingForm({
    prefix: 'ny',
    request,
    revision: currentYearRevision,
    fieldOf: (path) => contextFieldOf('ny')[path],
    linesOf: (body) => body.lines || [],
    more: (body) => [el('p', { id: 'ny-carried', text: '将开启 ' + body.year + ' 年度，上年结转合计 ' + body.carriedOver + ' 元' })],
    recorded: (body) => opened(body.unit, body.year),
  })
}
