/*
 * 冲销 (ReverseEvent): the entry to undo is picked from the year's entries that may still be
 * reversed (the server's list: by business date, type, line, amount and document), never typed.
 */
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { contextFieldOf, contextFields, field, formShell, orNull, select, valueOf } from './controls.js'
import { eventName, eventText } from './event-text.js'
import { currentYearRevision, recordingForm } from './form-kit.js'
import { lineName } from '../wording/line-name.js'

const FIELDS = { 'data.event': 'rv-event', ...contextFieldOf('rv') }

let entries = []
/** Each listed entry's words, by id. */
const names = new Map()

const linesOfEntry = (d) => [d.line, d.from, d.to].filter(Boolean)

/** An entry as a person finds it: 2021-05-01 · 追加预算 · 项目二（2060499） · 300.00 元 · 文号. */
const entryText = (e, lineNames) =>
  [e.effectiveDate, eventName(e.type), linesOfEntry(e.data).map((l) => lineNames.get(l) || l).join(' → '), e.data.amount + ' 元', e.document || '无文号'].join(' · ')

/** Lists what may be reversed now, the lines named as the year summary names them. */
export const showReverse = async (lines) => {
  const lineNames = new Map(lines.map((l) => [l.line, lineName(l)]))
  entries = (await getJson(yearPath() + '/reversible-entries')).body.entries
  names.clear()
  for (const e of entries) names.set(e.id, entryText(e, lineNames))
  const chosen = $('rv-event').value
  $('rv-event').replaceChildren(
    ...(entries.length ? entries.map((e) => el('option', { value: e.id, text: names.get(e.id) })) : [el('option', { value: '', text: '（本年度没有可冲销的记录）' })]),
  )
  if (entries.some((e) => e.id === chosen)) $('rv-event').value = chosen
}

export const wireReverse = (box, recorded) => {
  box.replaceChildren(...formShell('rv', [field('rv-event', '要冲销的记录', select('rv-event', [])), ...contextFields('rv')]))
  recordingForm({
    prefix: 'rv',
    request: () => ({
      path: yearPath() + '/commands',
      body: { type: 'ReverseEvent', data: { event: $('rv-event').value }, reason: valueOf('rv-reason'), document: orNull('rv-document'), effectiveDate: valueOf('rv-date') },
    }),
    revision: currentYearRevision,
    fieldOf: (path) => FIELDS[path],
    // The entry undone as the list names it, not by its id.
    eventText: (e) => (e.type === 'EventReversed' && names.has(e.data.event) ? '冲销 ' + names.get(e.data.event) : eventText(e)),
    linesOf: (body, sent) => {
      const entry = entries.find((e) => e.id === sent.body.data.event)
      const named = entry ? linesOfEntry(entry.data) : []
      return (body.lines || []).filter((l) => named.includes(l.line))
    },
    recorded,
  })
}
