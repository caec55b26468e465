import { timingSafeEqual } from 'node:crypto'
import { TokenConfigError, tokenDigest } from './tokens'

export const METRICS_TOKEN_VARIABLE = 'LEDGER_METRICS_TOKEN'
const SHAPE = /^[A-Za-z0-9\-._~+/]{24,}=*$/

/**
 * The credential of a Prometheus scraper (LEDGER_METRICS_TOKEN): it reads GET /metrics and nothing
 * else, so the machine that scrapes holds no role that could read the budget or its history. Kept
 * as its SHA-256 digest and compared in constant time, as the role tokens are.
 */
export class MetricsToken {
  private readonly digest: Buffer

  constructor(token: string) {
    if (!SHAPE.test(token)) throw new TokenConfigError(`${METRICS_TOKEN_VARIABLE}: expected at least 24 characters of A-Z a-z 0-9 - . _ ~ + / (a bearer token), e.g. from openssl rand -hex 32`)
    this.digest = tokenDigest(token)
  }

  matches(presented: string): boolean {
    return timingSafeEqual(this.digest, tokenDigest(presented))
  }
}

/** The scraper's token from the environment; none when unset (then only auditors read /metrics). */
export const metricsTokenFromEnv = (env: NodeJS.ProcessEnv): MetricsToken | undefined => {
  const v = env[METRICS_TOKEN_VARIABLE]
  return v === undefined || v === '' ? undefined : new MetricsToken(v)
}
