import { METRICS } from './registry'
// Every metric of the server is on the page from the first scrape, at zero, even one whose code has
// not run yet (the group commit before its first batch): a series that appears late breaks rate().
import { foldMetrics } from './fold-timings'
import { groupCommitMetrics } from './group-commit'
import './http-metrics'
import { storeMetrics } from './store-timings'

foldMetrics()
groupCommitMetrics()
storeMetrics()

/** The text Prometheus scrapes (exposition format 0.0.4) and its content type. */
export const metricsText = async (): Promise<{ text: string; contentType: string }> => ({ text: await METRICS.metrics(), contentType: METRICS.contentType })
