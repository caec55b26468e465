import { nodeHash } from '../tree/hashes'
import type { PerfectNode } from '../tree/perfect-nodes'
import { splitPoint } from '../tree/split'
import { rangeHash } from '../tree/subtree'

/**
 * PATH(m, D[n]) of RFC 9162 §2.1.3.1: the sibling hashes from leaf m up to the root of the tree of
 * the first n leaves, the leaf's sibling first.
 */
export const inclusionPath = (node: PerfectNode, m: number, n: number): Uint8Array[] => {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m < n)) throw new RangeError(`no leaf ${m} in a tree of ${n}`)
  const path: Uint8Array[] = []
  const walk = (m: number, start: number, n: number): void => {
    if (n === 1) return
    const k = splitPoint(n)
    if (m < k) {
      walk(m, start, k)
      path.push(rangeHash(node, start + k, start + n))
    } else {
      walk(m - k, start + k, n - k)
      path.push(rangeHash(node, start, start + k))
    }
  }
  walk(m, 0, n)
  return path
}

/**
 * RFC 9162 §2.1.3.2: whether `path` proves the leaf hash at `index` in the tree of `size` leaves
 * whose root is `root`.
 */
export const verifyInclusion = (leaf: Uint8Array, index: number, size: number, path: ReadonlyArray<Uint8Array>, root: Uint8Array): boolean => {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size)) return false
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leaf
  for (const p of path) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      // Past a right edge: climb until this node is a right child again.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2)
        sn = Math.floor(sn / 2)
      }
    } else r = nodeHash(r, p)
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root))
}
