import type { RecordedEvent } from '../../envelope'
import { Frontier } from '../tree/frontier'
import { toHex } from '../tree/hashes'
import { eventLeafHash } from '../tree/leaf'
import type { SqliteTree } from '../tree/sqlite-tree'

/**
 * Part of verify (docs/audit.md, "The Merkle tree"): the tree kept in the file against the log it
 * claims to cover. Fed every event in global order, it recomputes each leaf and the root, and
 * names the first leaf that differs (an event altered or moved after its leaf was written), a tree
 * that lags the log (events written behind the ledger's back) or runs past it (events removed).
 */
export interface TreeReport {
  readonly ok: boolean
  /** Leaves the stored tree holds. */
  readonly size: number
  /** The root of the tree recomputed from the log as it is now. */
  readonly root: string
  /** The file has no tree table yet (written by a version before the tree; a writer adds it). */
  readonly absent?: true
  readonly problems: ReadonlyArray<string>
}

export class TreeChecker {
  private readonly recomputed = new Frontier()
  private readonly problems: string[] = []
  private mismatches = 0

  /** `stored`: the SQLite file's tree; without it the tree is derived from the log and agrees by construction. */
  constructor(private readonly stored?: SqliteTree) {}

  check(e: RecordedEvent): void {
    this.leaf(e.position, eventLeafHash(e), `event ${e.id} (stream ${e.stream} revision ${e.revision}, position ${e.position})`)
  }

  /** A row that is not JSON any more: it cannot be the event its leaf was made of. */
  unreadable(position: number, eventId: string): void {
    this.leaf(position, Buffer.alloc(32), `event ${eventId} (position ${position}, not readable)`)
  }

  private leaf(position: number, hash: Buffer, what: string): void {
    const index = this.recomputed.size
    this.recomputed.append(hash)
    const s = this.stored
    if (!s?.exists || index >= s.size()) return
    const leaf = s.node(0, index)
    const at = s.leafIndexAt(position)
    if (at !== index || leaf === undefined || !Buffer.from(leaf).equals(hash)) {
      this.mismatches++
      if (this.mismatches === 1)
        this.problems.push(
          at !== index
            ? `leaf ${index} of the tree is not ${what}: the tree holds it ${at === undefined ? 'nowhere' : `at leaf ${at}`} (events were removed or moved)`
            : `leaf ${index} of the tree is ${toHex(leaf!)}, but ${what} hashes to ${toHex(hash)} (the event was altered after its leaf was written)`,
        )
    }
  }

  report(): TreeReport {
    const root = toHex(this.recomputed.root())
    const s = this.stored
    if (!s) return { ok: true, size: this.recomputed.size, root, problems: [] }
    if (!s.exists) return { ok: true, size: 0, root, absent: true, problems: [] }
    const problems = [...this.problems]
    if (this.mismatches > 1) problems.push(`… and ${this.mismatches - 1} more leaf(s) differ`)
    const size = s.size()
    if (size < this.recomputed.size)
      problems.push(`the tree covers ${size} event(s) but the log holds ${this.recomputed.size}: events after position ${s.lastPosition()} were written without their leaves (behind the ledger's back)`)
    if (size > this.recomputed.size)
      problems.push(`the tree covers ${size} event(s) but the log holds only ${this.recomputed.size}: events were removed from the log`)
    else if (problems.length === 0 && toHex(s.root(size)) !== root) problems.push(`the tree's root is ${toHex(s.root(size))}, but its leaves hash to ${root} (an interior node was altered)`)
    return { ok: problems.length === 0, size, root, problems }
  }
}
