import { EMPTY_ROOT, nodeHash } from './hashes'
import type { PerfectNode } from './perfect-nodes'
import { mustGet } from './perfect-nodes'

/** A perfect subtree an append completed: what a tree store keeps. */
export interface NewNode {
  readonly level: number
  readonly index: number
  readonly hash: Uint8Array
}

/**
 * The right edge of the tree: for each bit l set in the size, the root of the perfect subtree of
 * 2^l leaves there (at most log2 n + 1 hashes). Appending a leaf only combines it with these, so
 * it costs O(log n) hashes, and the root is these folded from the smallest up.
 */
export class Frontier {
  private readonly levels: Array<Uint8Array | undefined>
  constructor(
    private n: number = 0,
    levels: ReadonlyArray<Uint8Array | undefined> = [],
  ) {
    this.levels = [...levels]
  }

  /** The frontier of a tree of `size` leaves, read from its stored perfect subtrees. */
  static of(node: PerfectNode, size: number): Frontier {
    const levels: Array<Uint8Array | undefined> = []
    for (let l = 0; 2 ** l <= size; l++) levels[l] = Math.floor(size / 2 ** l) % 2 === 1 ? mustGet(node, l, Math.floor(size / 2 ** l) - 1) : undefined
    return new Frontier(size, levels)
  }

  get size(): number {
    return this.n
  }

  /** Adds a leaf hash; returns the perfect subtrees it completed, the leaf itself first. */
  append(leaf: Uint8Array): NewNode[] {
    const index = this.n
    const made: NewNode[] = [{ level: 0, index, hash: leaf }]
    let cur = leaf
    let l = 0
    while (Math.floor(index / 2 ** l) % 2 === 1) {
      cur = nodeHash(this.levels[l]!, cur)
      this.levels[l] = undefined
      l++
      made.push({ level: l, index: Math.floor(index / 2 ** l), hash: cur })
    }
    this.levels[l] = cur
    this.n++
    return made
  }

  root(): Uint8Array {
    let r: Uint8Array | undefined
    for (const h of this.levels) if (h) r = r ? nodeHash(h, r) : h
    return r ?? EMPTY_ROOT
  }
}
