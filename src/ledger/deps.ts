import { timeOrderedUUID } from '../random-uuid'
import type { EventStore } from '../store/port'

/** What the application layer needs from the outside world, injectable for tests. */
export interface LedgerDeps {
  readonly store: EventStore
  /** Recording time; tests inject a clock to record events "on" chosen days. */
  readonly now: () => Date
  /**
   * An event's id, minted for an event recorded at `recordedAt` (epoch milliseconds, from `now`):
   * a time-ordered UUID (random-uuid.ts says why) stamped with that millisecond, so an id and its
   * event's `recordedAt` tell one time, the injected clock's, not two.
   */
  readonly newId: (recordedAt: number) => string
  /**
   * Commands that arrive together are committed together (group-commit.ts): on in the server
   * (LEDGER_GROUP_COMMIT=0 turns it off), off for one-shot callers such as the CLI.
   */
  readonly groupCommit?: boolean
}

export const ledgerDeps = (store: EventStore, overrides: Partial<Omit<LedgerDeps, 'store'>> = {}): LedgerDeps => ({
  store,
  now: overrides.now ?? (() => new Date()),
  newId: overrides.newId ?? timeOrderedUUID,
  ...(overrides.groupCommit ? { groupCommit: true } : {}),
})

/**
 * Who is recording: their name and role go into every event's metadata, and a signed-in person's
 * stable subject id too (absent for machine tokens and the CLI, so older events read the same).
 */
export interface Actor {
  readonly name: string
  readonly role: string
  readonly subject?: string
}
