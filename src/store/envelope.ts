/**
 * The envelope every stored event travels in. Data is the domain event's payload; metadata is
 * who recorded it, when, why and on which document, plus the hash chain that makes a later
 * alteration of any stored event detectable.
 */
export interface EventMetadata {
  /** Recording time, ISO-8601 UTC: when the ledger learnt of it (the as-of axis). */
  readonly recordedAt: string
  /** Business (effective) date, YYYY-MM-DD: when it happened in the budget year. */
  readonly effectiveDate: string
  readonly actor: string
  readonly role: string
  /**
   * The signed-in person's stable id (a local account's UUID, or "issuer|sub"). Absent on events
   * recorded with a machine token, from the CLI, or before sign-in existed: the canonical form
   * leaves absent fields out, so those events' hashes are what they always were.
   */
  readonly subject?: string
  readonly reason: string
  /** Approval document reference (批文号), when there is one. */
  readonly document: string | null
  /**
   * The schema version of the event's type when it was written (src/domain/events/event-versions.ts).
   * Absent on events stored before versions existed: those are version 1, and their hashes stay
   * what they were.
   */
  readonly schemaVersion?: number
  /** Set on events a demo script made up, so nobody mistakes them for the real budget. */
  readonly synthetic?: boolean
  /** Anything else an adapter or a later feature needs to carry; kept in the hash. */
  readonly [extra: string]: unknown
}

export interface ChainedMetadata extends EventMetadata {
  /** Hash of the previous event in the same stream, "" for the first. */
  readonly prevHash: string
  /** SHA-256 over this event's canonical serialisation and prevHash. */
  readonly hash: string
}

/** What a caller hands the store. The id is the idempotency key (a UUID). */
export interface NewEvent {
  readonly id: string
  readonly type: string
  readonly data: unknown
  readonly metadata: EventMetadata
}

export interface RecordedEvent {
  readonly id: string
  readonly stream: string
  /** 0-based position inside its stream. */
  readonly revision: number
  /** Position in the whole log; strictly increasing in append order, not necessarily dense. */
  readonly position: number
  readonly type: string
  readonly data: unknown
  readonly metadata: ChainedMetadata
}
