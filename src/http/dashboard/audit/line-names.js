/*
 * Budget lines as people pick them: by name and code, never by id alone. The lines come from the
 * year summary (GET …/years/:year), read once per year opened by the audit screens.
 */
import { el } from '../core/dom.js'
import { lineName as nameOf } from '../wording/line-name.js'

let lines = []

export const setLines = (list) => {
  lines = list || []
}

export const allLines = () => lines

/** "项目一（2150502）": a line's name and function code; an unknown id as it is. */
export const lineName = (id) => {
  const l = lines.find((x) => x.line === id)
  return l ? nameOf(l) : id
}

/** The options of a line picker, optionally led by one meaning "any line". */
export const lineOptions = (any) => [
  ...(any ? [el('option', { value: '', text: any })] : []),
  ...lines.map((l) => el('option', { value: l.line, text: lineName(l.line) })),
]
