import type * as Prom from 'prom-client'
import type { Registry } from 'prom-client'

let registry: Registry | undefined

/** Called once by registry.ts: from then on this process collects the metrics below. */
export const collectInto = (r: Registry): void => {
  registry = r
}

/**
 * Metrics taken by code the CLI shares with the server (folds, appends, group commit). They are
 * made at their first use once the server's registry exists (registry.ts, loaded with the HTTP
 * metrics), and never in a CLI process, which nobody scrapes: it does not load prom-client, about
 * a tenth of a cold command's time (docs/speed.md, "Cold start").
 */
export const lazyMetrics = <T>(make: (prom: typeof Prom, registry: Registry) => T): (() => T | undefined) => {
  let made: T | undefined
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (made === undefined && registry !== undefined) made = make(require('prom-client') as typeof Prom, registry)
    return made
  }
}
