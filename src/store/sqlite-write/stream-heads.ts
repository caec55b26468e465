/** A stream's last stored revision and its chain hash: what an append checks and chains onto. */
export interface StreamHead {
  readonly revision: number
  readonly hash: string
}

/** Past this many streams the remembered heads are dropped and read again from the file as needed. */
const MAX_REMEMBERED = 10_000

/**
 * The heads of the streams one writing connection appended to, remembered between its write
 * transactions so that a batch does not read and parse its stream's last row again (the commit
 * worker's serial path, docs/speed.md "Writes, the committer's own work"). Trusted only while no
 * other connection has committed: `begin`, called with the write lock held, compares SQLite's
 * `data_version` (which moves for every other connection's commit, in this process or another,
 * never for this connection's own) with the last transaction's and forgets everything when it
 * moved. Heads written inside a transaction are pending until `committed`; a failed batch or
 * transaction forgets everything, so a head is never one a rollback undid.
 */
export class StreamHeads {
  private readonly remembered = new Map<string, StreamHead>()
  private readonly pending = new Map<string, StreamHead>()
  private seenVersion: number | undefined

  constructor(private readonly dataVersion: () => number) {}

  /** At the start of a write transaction, the lock held. */
  begin(): void {
    const version = this.dataVersion()
    if (version !== this.seenVersion) this.remembered.clear()
    this.seenVersion = version
    this.pending.clear()
  }

  get(stream: string): StreamHead | undefined {
    return this.pending.get(stream) ?? this.remembered.get(stream)
  }

  /** A head this transaction wrote (after its rows are inserted). */
  wrote(stream: string, head: StreamHead): void {
    this.pending.set(stream, head)
  }

  /** The transaction committed: its heads are the file's. */
  committed(): void {
    if (this.remembered.size + this.pending.size > MAX_REMEMBERED) this.remembered.clear()
    for (const [stream, head] of this.pending) this.remembered.set(stream, head)
    this.pending.clear()
  }

  /** Something was rolled back: read every head from the file again (inside the transaction the file is right). */
  forget(): void {
    this.remembered.clear()
    this.pending.clear()
  }
}
