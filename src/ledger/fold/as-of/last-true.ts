/** The highest index i in [0, n) with ok(i), for ok monotone (true…true false…false); -1 if none. */
export const lastTrue = (n: number, ok: (i: number) => boolean): number => {
  let lo = 0
  let hi = n - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (ok(mid)) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
