import { EMPTY_ROOT, nodeHash } from './hashes'
import { type PerfectNode, mustGet } from './perfect-nodes'
import { isPowerOfTwo, splitPoint } from './split'

const log2 = (n: number): number => 31 - Math.clz32(n)

/**
 * MTH(D[start:end]) (RFC 9162 §2.1.1) from the stored perfect subtrees; `start` must be a multiple
 * of the largest power of two ≤ end − start, which holds for every range the RFC's recursion
 * visits from D[0:n].
 */
export const rangeHash = (node: PerfectNode, start: number, end: number): Uint8Array => {
  const n = end - start
  if (n === 0) return EMPTY_ROOT
  if (isPowerOfTwo(n) && start % n === 0) return mustGet(node, log2(n), start / n)
  const k = splitPoint(n)
  return nodeHash(rangeHash(node, start, start + k), rangeHash(node, start + k, end))
}

/** The root of the tree of the first `size` leaves. */
export const treeRoot = (node: PerfectNode, size: number): Uint8Array => rangeHash(node, 0, size)
