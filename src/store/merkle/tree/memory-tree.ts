import { consistencyPath } from '../proofs/consistency'
import { Frontier, type NewNode } from './frontier'
import { inclusionPath } from '../proofs/inclusion'
import { treeRoot } from './subtree'

/**
 * A Merkle tree over a log kept in memory: every perfect subtree by level, grown by a frontier.
 * What the memory and EventStoreDB adapters keep (derived from the log), and what the SQLite
 * store keeps in its file.
 */
export class MemoryTree {
  private readonly nodes: Uint8Array[][] = []
  private readonly frontier = new Frontier()

  readonly node = (level: number, index: number): Uint8Array | undefined => this.nodes[level]?.[index]

  get size(): number {
    return this.frontier.size
  }

  append(leaf: Uint8Array): NewNode[] {
    const made = this.frontier.append(leaf)
    for (const m of made) (this.nodes[m.level] ??= [])[m.index] = m.hash
    return made
  }

  root(size = this.size): Uint8Array {
    return size === this.size ? this.frontier.root() : treeRoot(this.node, size)
  }

  inclusionPath(index: number, size = this.size): Uint8Array[] {
    return inclusionPath(this.node, index, size)
  }

  consistencyPath(from: number, to = this.size): Uint8Array[] {
    return consistencyPath(this.node, from, to)
  }
}
