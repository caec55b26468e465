import { lazyMetrics } from './lazy-metrics'

export const storeMetrics = lazyMetrics(
  (prom, registry) =>
    new prom.Histogram({
      name: 'ledger_store_append_duration_seconds',
      help: 'Time to append one batch of events to the store, durably (the fsync included)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
)

/** Times a store append, where metrics are collected; a failed one (a stale revision) is counted too, with its time. */
export const timeAppend = async <T>(append: () => Promise<T>): Promise<T> => {
  const appends = storeMetrics()
  if (appends === undefined) return append()
  const end = appends.startTimer()
  try {
    return await append()
  } finally {
    end()
  }
}
