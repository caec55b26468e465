import { Registry, collectDefaultMetrics } from 'prom-client'
import { collectInto } from './lazy-metrics'

/**
 * The process's metrics, on a registry of its own rather than prom-client's global one, so that
 * nothing else loaded into the process (a library registering into the global one) can add to or
 * clash with what /metrics shows. One per process, not per app: Prometheus scrapes a process, and
 * the store and fold timings are taken by code that knows no app.
 */
export const METRICS = new Registry()

// RSS, heap, event-loop lag, file descriptors: prom-client's process metrics, on this registry.
collectDefaultMetrics({ register: METRICS })

// The fold, append and group-commit metrics are taken from here on (lazy-metrics.ts).
collectInto(METRICS)
