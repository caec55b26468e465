/*
 * The parts the recording forms are built from, so every form has the same labelled fields, the
 * refusal beside each (<id>-error) and the same 预览 / 确认记录 buttons, status line and preview.
 */
import { el } from '../core/dom.js'

/** A labelled field: the control, and under it the place for its refusal. */
export const field = (id, label, control, attrs) =>
  el('span', { className: 'field', id: id + '-field', ...(attrs || {}) }, [el('label', { for: id, text: label }), control, el('span', { id: id + '-error', className: 'field-error' })])

export const input = (id, attrs) => el('input', { type: 'text', id, autocomplete: 'off', 'aria-describedby': id + '-error', ...(attrs || {}) })

/** A select of [value, text] pairs. */
export const select = (id, options, attrs) =>
  el('select', { id, 'aria-describedby': id + '-error', ...(attrs || {}) }, options.map(([value, text]) => el('option', { value, text })))

/** An amount typed in 元 or 万元, the unit always shown beside it. */
export const amountField = (id, label) =>
  el('span', { className: 'field amount', id: id + '-field' }, [
    el('label', { for: id, text: label }),
    el('span', { className: 'with-unit' }, [
      input(id, { inputmode: 'decimal' }),
      select(id + '-unit', [['元', '元'], ['万元', '万元']], { 'aria-label': label + '单位' }),
    ]),
    el('span', { id: id + '-error', className: 'field-error' }),
  ])

/** 事由, 依据文件, 业务日期: the context every command carries, ids <prefix>-reason, -document, -date. */
export const contextFields = (prefix, optional) => [
  field(prefix + '-reason', optional ? '事由（可不填）' : '事由', input(prefix + '-reason')),
  field(prefix + '-document', '依据文件', input(prefix + '-document')),
  field(prefix + '-date', optional ? '业务日期（可不填）' : '业务日期', input(prefix + '-date', { inputmode: 'numeric', placeholder: 'yyyy-mm-dd' })),
]

/** The context's refusal paths → its fields. */
export const contextFieldOf = (prefix) => ({ reason: prefix + '-reason', document: prefix + '-document', effectiveDate: prefix + '-date' })

/** A form with its fields, its buttons, status line and preview: ids <prefix>-form, -preview-button, -confirm, -status, -preview. */
export const formShell = (prefix, fields) => [
  el('form', { id: prefix + '-form', className: 'record-form', novalidate: '' }, [
    ...fields,
    el('span', { className: 'field buttons' }, [
      el('button', { type: 'submit', id: prefix + '-preview-button', text: '预览' }),
      el('button', { type: 'button', id: prefix + '-confirm', disabled: '', text: '确认记录' }),
    ]),
  ]),
  el('p', { id: prefix + '-status', className: 'rf-status', role: 'status' }),
  el('div', { id: prefix + '-preview', className: 'rf-preview', hidden: '' }),
]

/** A field's value trimmed; null when empty (an optional document). */
export const valueOf = (id) => document.getElementById(id).value.trim()
export const orNull = (id) => valueOf(id) || null
