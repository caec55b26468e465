import { nodeHash } from '../tree/hashes'
import type { PerfectNode } from '../tree/perfect-nodes'
import { isPowerOfTwo, splitPoint } from '../tree/split'
import { rangeHash } from '../tree/subtree'

/**
 * PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the hashes that show the tree of the first m leaves is a
 * prefix of the tree of the first n (0 < m ≤ n; empty when m = n).
 */
export const consistencyPath = (node: PerfectNode, m: number, n: number): Uint8Array[] => {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m > 0 && m <= n)) throw new RangeError(`no consistency proof from a tree of ${m} to one of ${n}`)
  const proof: Uint8Array[] = []
  const sub = (m: number, start: number, n: number, b: boolean): void => {
    if (m === n) {
      if (!b) proof.push(rangeHash(node, start, start + n))
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      sub(m, start, k, b)
      proof.push(rangeHash(node, start + k, start + n))
    } else {
      sub(m - k, start + k, n - k, false)
      proof.push(rangeHash(node, start, start + k))
    }
  }
  sub(m, 0, n, true)
  return proof
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b))

/**
 * RFC 9162 §2.1.4.2: whether `path` proves that the tree of `first` leaves with root `firstRoot`
 * is a prefix of the tree of `second` leaves with root `secondRoot`. The RFC's algorithm takes
 * 0 < first < second; an empty tree is a prefix of every tree, and equal sizes need equal roots
 * and an empty path.
 */
export const verifyConsistency = (
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  path: ReadonlyArray<Uint8Array>,
): boolean => {
  if (!(Number.isInteger(first) && Number.isInteger(second) && first >= 0 && first <= second)) return false
  if (first === 0) return path.length === 0
  if (first === second) return path.length === 0 && same(firstRoot, secondRoot)
  if (path.length === 0) return false
  const c = isPowerOfTwo(first) ? [firstRoot, ...path] : [...path]
  let fn = first - 1
  let sn = second - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr: Uint8Array = c[0]!
  let sr: Uint8Array = c[0]!
  for (const x of c.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(x, fr)
      sr = nodeHash(x, sr)
      // Past a right edge: climb until this node is a right child again.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2)
        sn = Math.floor(sn / 2)
      }
    } else sr = nodeHash(sr, x)
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return same(fr, firstRoot) && same(sr, secondRoot) && sn === 0
}
