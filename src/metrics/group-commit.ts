import { lazyMetrics } from './lazy-metrics'

export const groupCommitMetrics = lazyMetrics(
  (prom, registry) =>
    new prom.Histogram({
      name: 'ledger_group_commit_batch_size',
      help: 'Commands committed together in one durable transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
)

/** Called by the group commit once per durable transaction, with how many commands it carried. */
export const observeGroupCommit = (size: number): void => groupCommitMetrics()?.observe(size)
