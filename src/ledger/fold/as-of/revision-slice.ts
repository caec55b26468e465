import { lastTrue } from './last-true'

/**
 * The entries of a list kept in revision order ([something, revision]) whose revision lies in
 * from..to, found by binary search: what a saved snapshot's interval takes of the timeline's
 * reversals and creators (snapshot-record.ts). A filter over the whole list for each row made the
 * save of n rows quadratic in the log (docs/speed.md, "Rebuild, the snapshots' save").
 */
export const sliceByRevision = <T extends readonly [unknown, number]>(all: ReadonlyArray<T>, from: number, to: number): T[] => {
  const before = (r: number) => lastTrue(all.length, (i) => all[i]![1] < r) + 1
  return all.slice(before(from), before(to + 1))
}
