import { resolve } from 'node:path'
import type { EventStore } from './port'
import { SqliteEventStore } from './sqlite/sqlite'

export interface StoreChoice {
  /** SQLite file (the embedded default). */
  readonly db?: string
  /** A store URL: esdb://host:2113?tls=false for EventStoreDB, or sqlite:PATH. */
  readonly store?: string
}

export const DEFAULT_DB = './data/ledger.db'

/** Where the ledger keeps its events, in words a person can check. */
export const describeStore = (c: StoreChoice, env: NodeJS.ProcessEnv = process.env): string => {
  const url = c.store ?? env.EVENTSTORE_CONNECTION_STRING
  if (url && /^(esdb|kurrentdb)(\+discover)?:\/\//.test(url)) return `EventStoreDB ${url.replace(/\/\/[^@/]*@/, '//***@')}`
  return `SQLite ${resolve(sqlitePath(c, env))}`
}

/** The SQLite file a choice names (--store sqlite:PATH, --db, LEDGER_DB, or the default). */
export const sqlitePath = (c: StoreChoice, env: NodeJS.ProcessEnv): string =>
  c.store?.startsWith('sqlite:') ? c.store.slice('sqlite:'.length) : (c.db ?? env.LEDGER_DB ?? DEFAULT_DB)

/**
 * What the opener will do: 'write' may create the SQLite file (import, sample, the server…);
 * 'read' never does: a missing file is LedgerNotFound and the file is opened read-only.
 */
export type StoreAccess = 'read' | 'write'

/**
 * Opens the store a command line or server asked for: --store URL or EVENTSTORE_CONNECTION_STRING
 * for EventStoreDB; otherwise the SQLite file of --db, LEDGER_DB or ./data/ledger.db.
 */
/** The EventStoreDB URL a choice names, when it names one rather than a SQLite file. */
export const eventStoreUrl = (c: StoreChoice, env: NodeJS.ProcessEnv): string | undefined => {
  const url = c.store ?? (c.db ? undefined : env.EVENTSTORE_CONNECTION_STRING)
  return url && !url.startsWith('sqlite:') ? url : undefined
}

export const openStore = (c: StoreChoice, env: NodeJS.ProcessEnv = process.env, access: StoreAccess = 'write'): EventStore => {
  const url = eventStoreUrl(c, env)
  if (url) {
    if (!/^esdb(\+discover)?:\/\//.test(url)) throw new Error(`--store: expected esdb://host:port?tls=false or sqlite:PATH, got "${url}"`)
    // Loaded only when asked for, so the embedded store never loads gRPC.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EventStoreDbStore } = require('./eventstoredb/eventstoredb') as { EventStoreDbStore: new (url: string) => EventStore }
    return new EventStoreDbStore(url)
  }
  // LEDGER_COMMIT_WORKER=0 keeps group commits on the server's thread, so a benchmark can compare (sqlite-committer.ts).
  return new SqliteEventStore(sqlitePath(c, env), { readOnly: access === 'read', commitWorker: env.LEDGER_COMMIT_WORKER !== '0' })
}
