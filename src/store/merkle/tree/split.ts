/** RFC 9162's k: the largest power of two smaller than n (n > 1), where the tree splits. */
export const splitPoint = (n: number): number => {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0
