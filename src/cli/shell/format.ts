import { displayWidth } from '../../../projections/render'

/** Aligned "label  value" lines for people. */
export const labelled = (pairs: ReadonlyArray<readonly [string, string]>): string => {
  const w = Math.max(0, ...pairs.map(([l]) => displayWidth(l)))
  return pairs.map(([l, v]) => `${l}${' '.repeat(w - displayWidth(l))}  ${v}`).join('\n') + '\n'
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
