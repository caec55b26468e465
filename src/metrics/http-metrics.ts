import { Counter, Gauge, Histogram } from 'prom-client'
import { METRICS } from './registry'

/**
 * What the HTTP server measures of itself (docs/audit.md, "What a running server shows"). Labels
 * are few and closed (an outcome, a kind of read), never a unit, a path or a person, so the
 * number of series stays fixed however the ledger grows.
 */

/** How a command ended, from its answer's status (each refusal kind has its own status). */
export type CommandOutcome = 'recorded' | 'replayed' | 'dry-run' | 'refused' | 'stale' | 'invalid' | 'contended' | 'rejected' | 'error'

export const commandOutcome = (status: number, replayed: boolean): CommandOutcome => {
  if (status === 201) return replayed ? 'replayed' : 'recorded'
  const known: Record<number, CommandOutcome> = { 200: 'dry-run', 409: 'refused', 412: 'stale', 422: 'invalid', 503: 'contended' }
  return known[status] ?? (status >= 500 ? 'error' : 'rejected')
}

const commands = new Counter({
  name: 'ledger_commands_total',
  help: 'Commands answered (POST of a command, a close, a next year, a budget file, a voucher file), by outcome',
  labelNames: ['outcome'],
  registers: [METRICS],
})

const commandSeconds = new Histogram({
  name: 'ledger_command_duration_seconds',
  help: 'Time to answer a command, from its request to its answer, by outcome',
  labelNames: ['outcome'],
  buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [METRICS],
})

/** How a read was answered: from the render cache, rendered afresh, or 304 before any of it. */
export type ReadAnswer = 'hit' | 'miss' | 'not-modified' | 'uncached'

const readSeconds = new Histogram({
  name: 'ledger_read_duration_seconds',
  help: 'Time to answer a read of a table or the indicators, by what was read and how it was answered',
  labelNames: ['read', 'answer'],
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [METRICS],
})

/** Each outcome's two series bound once: prom-client otherwise checks and hashes the labels on every command. */
const commandChildren = new Map<CommandOutcome, { count: { inc: () => void }; time: { observe: (seconds: number) => void } }>()

export const observeCommand = (outcome: CommandOutcome, seconds: number): void => {
  let child = commandChildren.get(outcome)
  if (child === undefined) commandChildren.set(outcome, (child = { count: commands.labels({ outcome }), time: commandSeconds.labels({ outcome }) }))
  child.count.inc()
  child.time.observe(seconds)
}

/** One child series per read and answer (few, and closed): every read observes one, without prom-client sorting out its arguments again. */
const readChildren = new Map<string, Map<ReadAnswer, { observe: (seconds: number) => void }>>()

export const observeRead = (read: string, answer: ReadAnswer, seconds: number): void => {
  let byAnswer = readChildren.get(read)
  if (byAnswer === undefined) readChildren.set(read, (byAnswer = new Map()))
  let child = byAnswer.get(answer)
  if (child === undefined) byAnswer.set(answer, (child = readSeconds.labels({ read, answer })))
  child.observe(seconds)
}

const cacheHits = new Counter({ name: 'ledger_render_cache_hits_total', help: 'Reads answered with bytes rendered earlier at the same revision', registers: [METRICS] })
const cacheMisses = new Counter({ name: 'ledger_render_cache_misses_total', help: 'Reads rendered afresh (then kept, when they have a revision)', registers: [METRICS] })
const cacheEntries = new Gauge({ name: 'ledger_render_cache_entries', help: 'Renderings kept in the render caches of this process', registers: [METRICS] })
const cacheBytes = new Gauge({ name: 'ledger_render_cache_bytes', help: 'Bytes of the renderings kept in the render caches of this process', registers: [METRICS] })

export const renderCacheMetrics = {
  hit: (): void => cacheHits.inc(),
  miss: (): void => cacheMisses.inc(),
  /** An entry kept (+1, its bytes) or let go (-1, minus its bytes). */
  held: (entries: number, bytes: number): void => {
    cacheEntries.inc(entries)
    cacheBytes.inc(bytes)
  },
}

const liveClients = new Gauge({ name: 'ledger_live_clients', help: 'Open server-sent event streams (dashboard pages following a budget year)', registers: [METRICS] })

/** A live stream opened (+1) or ended (-1). */
export const liveClientsMoved = (by: 1 | -1): void => liveClients.inc(by)
