/*
 * What a command would do, as the server's dry run answers it (POST …/commands?dryRun=true): the
 * events it would record, the named lines after it and every indicator it changes. Every figure
 * is the server's; the page only lays them out. o.ids: the lists' id prefix (one per form);
 * o.lines: the lines to show after it; o.describe(event), o.name(line): how to say them.
 */
import { el } from './dom.js'
import { grouped } from '../wording/format.js'

/** The preview's parts: [heading, events, lines after, indicator changes]. */
export const previewNodes = (body, o) => {
  const after = (body.lines || []).filter((l) => o.lines.includes(l.line))
  return [
    el('h3', { text: '预览（尚未记录）' }),
    el('ul', { id: o.ids + '-events' }, body.events.map((e) => el('li', { 'data-type': e.type, text: o.describe(e) }))),
    el('ul', { id: o.ids + '-line-after' }, after.map((l) =>
      el('li', { 'data-line': l.line, text: '记录后 ' + (o.name ? o.name(l.line) : l.line) + '：调整后预算 ' + grouped(l.adjusted) + ' 元，已支出 ' + grouped(l.spent) + ' 元，可用 ' + grouped(l.available) + ' 元' }))),
    el('ul', { id: o.ids + '-changes' }, body.changes.length ? body.changes.map((c) => el('li', { text: c })) : [el('li', { text: '绩效指标不变' })]),
  ]
}

/** A fresh Idempotency-Key: the same key for every retry of one confirmed command. */
export const newRequestKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
