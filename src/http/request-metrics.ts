import { commandOutcome, observeCommand, observeRead } from '../metrics/http-metrics'
import type { Finished } from './access-log'
import { readOf } from './responses/cached-read'
import type { RouteSpec } from './route'

/**
 * Feeds the metrics from each request's end: a command (any POST that records) by its outcome,
 * a read of a year (sendYearRead) by what it read and how it was answered.
 */
export const requestMetrics = (routes: ReadonlyArray<RouteSpec>) => {
  const commands = new Set(routes.filter((r) => r.method === 'post' && r.access === 'record').map((r) => r.path))
  return ({ req, res, ms, completed }: Finished): void => {
    if (!completed) return
    const route = (req.route as { path?: unknown } | undefined)?.path
    if (req.method === 'POST' && typeof route === 'string' && commands.has(route))
      return observeCommand(commandOutcome(res.statusCode, res.getHeader('idempotent-replayed') === 'true'), ms / 1000)
    const read = readOf(res)
    if (read) observeRead(read.read, read.answer, ms / 1000)
  }
}
