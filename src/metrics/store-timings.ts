import { Histogram } from 'prom-client'
import { METRICS } from './registry'

const appends = new Histogram({
  name: 'ledger_store_append_duration_seconds',
  help: 'Time to append one batch of events to the store, durably (the fsync included)',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [METRICS],
})

/** Times a store append; a failed one (a stale revision) is counted too, with its time. */
export const timeAppend = async <T>(append: () => Promise<T>): Promise<T> => {
  const end = appends.startTimer()
  try {
    return await append()
  } finally {
    end()
  }
}
