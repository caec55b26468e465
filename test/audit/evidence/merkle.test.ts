import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { consistencyPath, verifyConsistency } from '../../../src/store/merkle/proofs/consistency'
import { leafHash } from '../../../src/store/merkle/tree/hashes'
import { inclusionPath, verifyInclusion } from '../../../src/store/merkle/proofs/inclusion'
import { MemoryTree } from '../../../src/store/merkle/tree/memory-tree'

/**
 * RFC 9162 §2.1, written again here from the RFC's text, independently of src/store/merkle (which
 * this file uses only as the code under test): MTH, PATH, PROOF and the two verification
 * algorithms. The code under test must agree with it on every root and proof.
 */
const rfc = (() => {
  const HASH = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
  const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1)) // largest power of two smaller than n
  const leaf = (d: Buffer) => HASH(Buffer.from([0]), d)
  /** MTH over leaf data; memoised by range since the proofs below recompute the same ranges. */
  const MTH = (D: Buffer[]): Buffer => {
    const memo = new Map<string, Buffer>()
    const go = (a: number, b: number): Buffer => {
      const n = b - a
      if (n === 0) return HASH()
      if (n === 1) return leaf(D[a]!)
      const key = `${a}:${b}`
      const hit = memo.get(key)
      if (hit) return hit
      const kk = k(n)
      const h = HASH(Buffer.from([1]), go(a, a + kk), go(a + kk, b))
      memo.set(key, h)
      return h
    }
    return go(0, D.length)
  }
  const lsb = (x: number) => x % 2 === 1
  const shr = (x: number) => Math.floor(x / 2)
  /** §2.1.3.2 */
  const verifyInclusion = (leafIndex: number, treeSize: number, hash: Buffer, path: Buffer[], rootHash: Buffer): boolean => {
    if (leafIndex >= treeSize) return false
    let fn = leafIndex
    let sn = treeSize - 1
    let r = hash
    for (const p of path) {
      if (sn === 0) return false
      if (lsb(fn) || fn === sn) {
        r = HASH(Buffer.from([1]), p, r)
        if (!lsb(fn)) {
          while (!(lsb(fn) || fn === 0)) {
            fn = shr(fn)
            sn = shr(sn)
          }
        }
      } else {
        r = HASH(Buffer.from([1]), r, p)
      }
      fn = shr(fn)
      sn = shr(sn)
    }
    return sn === 0 && r.equals(rootHash)
  }
  /** §2.1.4.2 (for 0 < first < second) */
  const verifyConsistency = (first: number, second: number, firstHash: Buffer, secondHash: Buffer, path: Buffer[]): boolean => {
    if (path.length === 0) return false
    const c = (first & (first - 1)) === 0 ? [firstHash, ...path] : [...path]
    let fn = first - 1
    let sn = second - 1
    if (lsb(fn)) {
      while (lsb(fn)) {
        fn = shr(fn)
        sn = shr(sn)
      }
    }
    let fr = c[0]!
    let sr = c[0]!
    for (const x of c.slice(1)) {
      if (sn === 0) return false
      if (lsb(fn) || fn === sn) {
        fr = HASH(Buffer.from([1]), x, fr)
        sr = HASH(Buffer.from([1]), x, sr)
        if (!lsb(fn)) {
          while (!(lsb(fn) || fn === 0)) {
            fn = shr(fn)
            sn = shr(sn)
          }
        }
      } else {
        sr = HASH(Buffer.from([1]), sr, x)
      }
      fn = shr(fn)
      sn = shr(sn)
    }
    return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0
  }
  /** §2.1.3.1 */
  const PATH = (m: number, D: Buffer[]): Buffer[] => {
    const n = D.length
    if (n === 1) return []
    const kk = k(n)
    return m < kk ? [...PATH(m, D.slice(0, kk)), MTH(D.slice(kk))] : [...PATH(m - kk, D.slice(kk)), MTH(D.slice(0, kk))]
  }
  /** §2.1.4.1 */
  const SUBPROOF = (m: number, D: Buffer[], b: boolean): Buffer[] => {
    const n = D.length
    if (m === n) return b ? [] : [MTH(D)]
    const kk = k(n)
    return m <= kk ? [...SUBPROOF(m, D.slice(0, kk), b), MTH(D.slice(kk))] : [...SUBPROOF(m - kk, D.slice(kk), false), MTH(D.slice(0, kk))]
  }
  return { MTH, PATH, PROOF: (m: number, D: Buffer[]) => SUBPROOF(m, D, true), verifyInclusion, verifyConsistency }
})()

/** A seeded generator, so a failure names a size that can be run again. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}

const dataOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`event ${i} 财政拨款`, 'utf8'))

const treeOf = (D: Buffer[]) => {
  const t = new MemoryTree()
  for (const d of D) t.append(leafHash(d))
  return t
}

const buf = (u: Uint8Array) => Buffer.from(u)

describe('RFC 9162 Merkle tree: roots and proofs against an independent implementation of the RFC', () => {
  it('given every log size from 0 to 70, when the tree is grown leaf by leaf, then its root at every size is MTH of that prefix, and every PATH and PROOF is the RFC’s', () => {
    const D = dataOf(70)
    const t = treeOf(D)
    for (let n = 0; n <= 70; n++) {
      expect(buf(t.root(n)).equals(rfc.MTH(D.slice(0, n))), `root of ${n}`).toBe(true)
      for (let m = 0; m < n; m++) expect(inclusionPath(t.node, m, n).map(buf), `PATH(${m}, D[${n}])`).toEqual(rfc.PATH(m, D.slice(0, n)))
      for (let m = 1; m <= n; m++) expect(consistencyPath(t.node, m, n).map(buf), `PROOF(${m}, D[${n}])`).toEqual(rfc.PROOF(m, D.slice(0, n)))
    }
  })

  it('given random log sizes up to 100,000, when proofs are made for random leaves and prefixes, then the RFC’s verification accepts them and rejects them altered, and so does the code’s own', () => {
    const next = random(20261128)
    const D = dataOf(100_000)
    const t = treeOf(D)
    const sizes = [1, 2, 3, 99_999, 100_000, ...Array.from({ length: 10 }, () => 1 + Math.floor(next() * 100_000))]
    for (const n of sizes) {
      const root = buf(t.root(n))
      expect(root.equals(rfc.MTH(D.slice(0, n))), `root of ${n}`).toBe(true)
      for (let i = 0; i < 8; i++) {
        const m = Math.floor(next() * n)
        const path = inclusionPath(t.node, m, n).map(buf)
        const leaf = leafHash(D[m]!)
        expect(rfc.verifyInclusion(m, n, leaf, path, root), `inclusion of ${m} in ${n}`).toBe(true)
        expect(verifyInclusion(leaf, m, n, path, root)).toBe(true)
        const other = leafHash(Buffer.from('forged'))
        expect(rfc.verifyInclusion(m, n, other, path, root)).toBe(false)
        expect(verifyInclusion(other, m, n, path, root)).toBe(false)
        if (n > 1) {
          const wrongIndex = (m + 1) % n
          expect(verifyInclusion(leaf, wrongIndex, n, path, root)).toBe(rfc.verifyInclusion(wrongIndex, n, leaf, path, root))
        }

        const first = 1 + Math.floor(next() * n)
        const proof = consistencyPath(t.node, first, n).map(buf)
        const firstRoot = buf(t.root(first))
        if (first < n) {
          expect(rfc.verifyConsistency(first, n, firstRoot, root, proof), `consistency ${first} → ${n}`).toBe(true)
          const rewritten = buf(leafHash(Buffer.from('rewritten')))
          expect(rfc.verifyConsistency(first, n, rewritten, root, proof)).toBe(false)
          expect(verifyConsistency(first, n, rewritten, root, proof)).toBe(false)
          if (proof.length > 0) {
            const bent = proof.map((p, j) => (j === proof.length - 1 ? rewritten : p))
            expect(rfc.verifyConsistency(first, n, firstRoot, root, bent)).toBe(false)
            expect(verifyConsistency(first, n, firstRoot, root, bent)).toBe(false)
          }
        } else expect(proof).toEqual([])
        expect(verifyConsistency(first, n, firstRoot, root, proof)).toBe(true)
      }
    }
  }, 120_000)

  it('given two trees of the same size with different roots, or a smaller later tree, then no consistency is accepted', () => {
    const D = dataOf(10)
    const t = treeOf(D)
    const u = treeOf([...D.slice(0, 9), Buffer.from('changed')])
    expect(verifyConsistency(10, 10, t.root(), u.root(), [])).toBe(false)
    expect(verifyConsistency(10, 9, t.root(), t.root(9), [])).toBe(false)
    expect(verifyConsistency(0, 10, t.root(0), t.root(), [])).toBe(true)
  })
})
