import { Help, type Option } from 'commander'
import { charWidth, displayWidth } from '../../../projections/render'
import type { CliIo } from './io'

/**
 * Help text that fits the terminal when it holds Chinese. Commander measures and wraps by string
 * length and breaks only at spaces; a CJK character takes two columns, so its lines overflowed
 * and the terminal cut them mid-word (结|转). Here lines are measured in display columns and
 * broken at spaces or next to CJK punctuation, never inside a run of characters: a CJK term is cut
 * only when it alone is wider than the line.
 */

/** Break after these (closing punctuation, commas, stops) and before the opening ones. */
const BREAK_AFTER = new Set([...'，、；：。！？）」』】》〕'])
const BREAK_BEFORE = new Set([...'（「『【《〔'])
const SPACE = /\s/

/** A line cut into pieces that may start a new line; each keeps the spaces before it. */
const pieces = (line: string): string[] => {
  const out: string[] = []
  let current = ''
  let prev = ''
  for (const ch of line) {
    const isSpace = SPACE.test(ch)
    const breakHere =
      current !== '' &&
      ((isSpace && !SPACE.test(prev)) || (!isSpace && BREAK_AFTER.has(prev)) || (BREAK_BEFORE.has(ch) && !SPACE.test(prev) && !BREAK_BEFORE.has(prev)))
    if (breakHere) {
      out.push(current)
      current = ''
    }
    current += ch
    prev = ch
  }
  if (current !== '') out.push(current)
  return out
}

/** The last resort for a piece wider than the line: cut it by columns. */
const cut = (piece: string, width: number): string[] => {
  const out: string[] = []
  let current = ''
  for (const ch of piece) {
    if (current !== '' && displayWidth(current) + charWidth(ch) > width) {
      out.push(current)
      current = ''
    }
    current += ch
  }
  return current === '' ? out : [...out, current]
}

/** Wraps text to `width` display columns, keeping its own line breaks. */
export const wrapText = (text: string, width: number): string =>
  text
    .split(/\r\n|\n/)
    .flatMap((raw) => {
      const lines: string[] = []
      let line = ''
      for (const p of pieces(raw)) {
        if (line === '' || displayWidth(line) + displayWidth(p) <= width) {
          line += line === '' ? p.trimStart() : p
          continue
        }
        lines.push(line.trimEnd())
        line = p.trimStart()
      }
      lines.push(line.trimEnd())
      return lines.flatMap((l) => (displayWidth(l) > width ? cut(l, width) : [l]))
    })
    .join('\n')

/** Narrower than this, a description goes under its term instead of beside it. */
const MIN_DESCRIPTION = 24
const ITEM_INDENT = 2
const SPACER = 2
const UNDER_INDENT = 6

const help = {
  minWidthToWrap: MIN_DESCRIPTION,
  displayWidth(this: Help, s: string): number {
    return displayWidth(s)
  },
  boxWrap(this: Help, s: string, width: number): string {
    return wrapText(s, width)
  },
  optionDescription(this: Help, option: Option): string {
    const text = Help.prototype.optionDescription.call(this, option)
    return option.mandatory ? `${text} (required)` : text
  },
  formatItem(this: Help, term: string, termWidth: number, description: string, helper: Help): string {
    const width = this.helpWidth ?? 80
    const indent = ' '.repeat(ITEM_INDENT)
    if (!description) return indent + term
    const beside = width - termWidth - SPACER - ITEM_INDENT
    if (beside >= MIN_DESCRIPTION) {
      const pad = ' '.repeat(termWidth - helper.displayWidth(term) + SPACER)
      const body = wrapText(description, beside).replace(/\n/g, `\n${' '.repeat(ITEM_INDENT + termWidth + SPACER)}`)
      return indent + term + pad + body
    }
    const under = wrapText(description, Math.max(MIN_DESCRIPTION, width - UNDER_INDENT)).replace(/^|\n/g, (m) => `${m}${' '.repeat(UNDER_INDENT)}`)
    return `${indent}${term}\n${under}`
  },
}

/**
 * COLUMNS when set (scripts, tests), else the terminal's width; undefined leaves commander's
 * default of 80 (its typings say number, its code takes undefined).
 */
const columns = (io: CliIo, stream: NodeJS.WriteStream): number => {
  const fromEnv = Number(io.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return (stream.isTTY ? stream.columns : undefined) as number
}

/** The help settings and output widths for the program; subcommands inherit them. */
export const helpSettings = (io: CliIo) => ({
  help: help as unknown as Partial<Help>,
  output: {
    getOutHelpWidth: () => columns(io, process.stdout),
    getErrHelpWidth: () => columns(io, process.stderr),
  },
})
