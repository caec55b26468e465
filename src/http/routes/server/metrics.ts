import { metricsText } from '../../../metrics/exposition'
import type { RouteSpec } from '../../route'

/** The server's own figures in the Prometheus text format (src/metrics). */
export const metrics: RouteSpec = {
  method: 'get',
  path: '/metrics',
  access: 'metrics',
  operation: {
    operationId: 'metrics',
    summary: 'The server’s metrics in the Prometheus text format: commands by outcome, latencies, render cache, folds, live streams, memory',
    description:
      'For a Prometheus scraper with the token LEDGER_METRICS_TOKEN (Authorization: Bearer), which opens nothing else, or an auditor. Counts and timings only: no amount, unit, person or token appears in it.',
    tags: ['meta'],
    responses: { 200: { description: 'The metrics (text/plain; version=0.0.4)', content: { 'text/plain': { schema: { type: 'string' } } } } },
  },
  async handle(_ctx, _req, res) {
    const { text, contentType } = await metricsText()
    res.status(200).set({ 'Content-Type': contentType, 'Cache-Control': 'no-store' }).send(text)
  },
}
