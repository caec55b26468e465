/**
 * The hash of a perfect, aligned subtree: `level` 0 is a leaf hash, level l covers the 2^l leaves
 * from index·2^l. Every left child RFC 9162's recursion meets is such a subtree, so a store that
 * keeps them (at most 2n of them) answers any root or proof with O(log² n) look-ups.
 * Undefined when the tree does not hold that node (yet).
 */
export type PerfectNode = (level: number, index: number) => Uint8Array | undefined

/** A node the caller asked for that the tree does not hold: the tree is smaller than asked. */
export class MissingNode extends Error {
  override readonly name = 'MissingNode'
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`the Merkle tree has no node at level ${level}, index ${index}`)
  }
}

export const mustGet = (node: PerfectNode, level: number, index: number): Uint8Array => {
  const h = node(level, index)
  if (h === undefined) throw new MissingNode(level, index)
  return h
}
