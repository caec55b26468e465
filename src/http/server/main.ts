#!/usr/bin/env node
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/Either'
import { ledgerDeps } from '../../ledger/deps'
import { problemOf } from '../../ledger/recording/handle-command'
import { importBudgetFile, parseJsonText } from '../../ledger/recording/import-file'
import { readFileSync } from 'node:fs'
import { samplePath } from '../../package-root'
import { describeStore, openStore } from '../../store/open'
import type { EventStore } from '../../store/port'
import { readAccounts, usersFile } from '../../identity/accounts/account-file'
import { isActive } from '../../identity/accounts/accounts'
import { OidcSignIn } from '../../identity/oidc/oidc'
import { SessionStore, sessionsFileBeside } from '../../identity/sessions/sessions'
import { OidcSettingsError, oidcSettings } from '../../identity/oidc/oidc-settings'
import { createApp } from '../app'
import { limitsFromEnv } from '../requests/limits'
import { listen } from '../listen'
import { dashboardLine } from '../routes/server/dashboard'
import { endLiveStreams } from '../routes/reads/live'
import { TokenConfigError, loadTokens, readableByOthers } from '../access/tokens'
import { tokenLines } from './token-lines'
import { accessLogger } from './access-logger'
import { metricsTokenFromEnv } from '../access/metrics-token'
import { checkpointSettings } from '../../ledger/checkpoints/settings'
import { CheckpointSchedule } from '../../ledger/checkpoints/schedule'
import { readKeyFile } from '../../store/merkle/checkpoints/checkpoint-key'
import { heapLine, sizeServerHeap } from './heap-sizing'

/**
 * `npm start`: the HTTP API on the embedded store (LEDGER_DB, default ./data/ledger.db; or
 * EVENTSTORE_CONNECTION_STRING), on HOST:PORT (default 127.0.0.1:3000). An empty ledger gets the
 * bundled 2021 sample only when asked (`npm start -- --sample` or LEDGER_SAMPLE=1): a real ledger
 * must never start with a made-up unit in it. Tokens: see src/http/access/tokens.ts; limits on slow and
 * greedy clients (LEDGER_HTTP_*): src/http/requests/limits.ts.
 */
const SAMPLE_ACTOR = { name: 'system:sample-loader', role: 'system' }

/** Whether the sample was asked for; anything not understood is refused rather than guessed. */
const sampleAsked = (env: NodeJS.ProcessEnv, args: ReadonlyArray<string>): boolean => {
  const unknown = args.find((a) => a !== '--sample')
  if (unknown !== undefined) throw new Error(`unknown argument "${unknown}": npm start takes only --sample (load the bundled 2021 sample into an empty ledger)`)
  const v = env.LEDGER_SAMPLE ?? ''
  if (!['', '0', '1'].includes(v)) throw new Error(`LEDGER_SAMPLE: expected 1 (load the bundled 2021 sample into an empty ledger) or 0, got "${v}"`)
  return v === '1' || args.includes('--sample')
}

/** LEDGER_GROUP_COMMIT: on unless 0, so a benchmark can compare (src/ledger/recording/group-commit.ts). */
export const groupCommitAsked = (env: NodeJS.ProcessEnv): boolean => {
  const v = env.LEDGER_GROUP_COMMIT ?? ''
  if (!['', '0', '1'].includes(v)) throw new Error(`LEDGER_GROUP_COMMIT: expected 1 (commit the commands that arrive together in one transaction, the default) or 0 (one transaction each), got "${v}"`)
  return v !== '0'
}

const loadSampleIfEmpty = async (store: EventStore, asked: boolean, say: (s: string) => void): Promise<void> => {
  if ((await store.listStreams('budget-', 1)).length > 0) return
  if (!asked) {
    say('the ledger is empty: import a budget file (npx budget-ledger import FILE), or the 2021 sample with npx budget-ledger sample or npm start -- --sample')
    return
  }
  const parsed = parseJsonText(readFileSync(samplePath(), 'utf8'), samplePath())
  if (E.isLeft(parsed)) throw new Error(parsed.left[0]!.message)
  const result = await importBudgetFile(ledgerDeps(store), parsed.right, SAMPLE_ACTOR)
  // Another process starting on the same empty store at the same moment may win the race: fine.
  if (E.isLeft(result) && result.left.kind === 'refused' && result.left.error.code === 'year-already-open') return
  if (E.isLeft(result)) {
    const p = problemOf(result.left, 'the bundled sample')
    throw new Error(`${p.detail}${p.errors.map((e) => `\n  ${e.path}: ${e.reason}`).join('')}`)
  }
  say(`the ledger was empty: loaded the 2021 sample (unit ${result.right.file.unit.code}, ${result.right.events.length} events)`)
}

export const main = async (env: NodeJS.ProcessEnv = process.env, args: ReadonlyArray<string> = process.argv.slice(2)): Promise<void> => {
  const say = (s: string) => process.stdout.write(`${s}\n`)
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: expected a port number 0-65535, got "${env.PORT}"`)
  const host = env.HOST || '127.0.0.1'

  const sample = sampleAsked(env, args)
  const groupCommit = groupCommitAsked(env)
  const heap = sizeServerHeap(env)
  const limits = limitsFromEnv(env)
  const logger = accessLogger(env)
  const metricsToken = metricsTokenFromEnv(env)
  const tokens = loadTokens(env)
  const oidc = oidcSettings(env)
  // A users file that cannot be read would fail every sign-in: refuse to start instead.
  const people = readAccounts(usersFile(env))
  // Likewise the sessions kept from before a restart.
  const sessions = new SessionStore(undefined, undefined, undefined, sessionsFileBeside(usersFile(env)))
  const signedIn = sessions.people().length
  const checkpoints = checkpointSettings(env)
  // A key that cannot be read would leave the ledger without the checkpoints it was asked for: refuse to start.
  const key = checkpoints.keyFile === undefined ? undefined : readKeyFile(checkpoints.keyFile)
  const store = openStore({}, env)
  try {
    await loadSampleIfEmpty(store, sample, say)
  } catch (err) {
    await store.close()
    throw err
  }
  const app = createApp({ deps: ledgerDeps(store, { groupCommit }), tokens: tokens.entries, usersFile: usersFile(env), sessions, accessLog: logger, ...(metricsToken ? { metricsToken } : {}), ...(oidc ? { oidc: new OidcSignIn(oidc) } : {}), ...(env.LEDGER_TRUST_PROXY ? { trustProxy: env.LEDGER_TRUST_PROXY } : {}) })
  const server = await listen(app, { port, host, limits })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const base = `http://${shownHost}:${address.port}`
  const lines = [`  store:  ${describeStore({}, env)}`, `  docs:   ${base}/openapi.json`, dashboardLine(base, tokens.entries, process.stdout.isTTY === true)]
  lines.push(`  people: ${people.filter(isActive).length} local account(s) in ${usersFile(env)} (budget-ledger users)${oidc ? `; identity provider ${oidc.issuer.href} (${base}/auth/oidc/start)` : ''}; ${signedIn} signed in (sessions kept in ${sessions.file})`)
  lines.push(heapLine(heap))
  lines.push(...tokenLines(tokens, tokens.file !== undefined && readableByOthers(tokens.file)))
  lines.push(
    `  watch:  access log (${logger.level}) to ${env.LEDGER_LOG_FILE || 'stdout'}; ${base}/ready (the store answers), ${base}/metrics (${metricsToken ? 'LEDGER_METRICS_TOKEN' : 'set LEDGER_METRICS_TOKEN for a scraper'} or an auditor)`,
  )
  const schedule = key && new CheckpointSchedule(store, key, checkpoints, { events: checkpoints.everyEvents, minutes: checkpoints.everyMinutes }, say)
  lines.push(
    key
      ? `  checkpoints: signed by key ${key.keyId} every ${checkpoints.everyEvents} event(s) or ${checkpoints.everyMinutes} minute(s) and on shutdown, to ${[checkpoints.dir, checkpoints.witnessUrl].filter(Boolean).join(' and ')}`
      : '  checkpoints: none (set LEDGER_CHECKPOINT_KEY and LEDGER_CHECKPOINT_DIR or LEDGER_WITNESS_URL; docs/audit.md)',
  )
  await schedule?.start()
  // One write, the address last: whoever waits for it has read everything above.
  say([...lines, `budget-ledger API listening on ${base}`].join('\n'))

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    say(`${signal}: closing`)
    // Open live streams would hold the server open: end them (the pages reconnect by themselves).
    endLiveStreams(store)
    server.close(() => {
      // The last checkpoint covers everything recorded until the end.
      void (schedule ? schedule.stop() : Promise.resolve())
        .then(() => store.close())
        .finally(() => process.exit(0))
    })
    server.closeIdleConnections()
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof TokenConfigError || err instanceof OidcSettingsError || err instanceof Error ? err.message : String(err)
    process.stderr.write(`budget-ledger: cannot start: ${message}\n`)
    process.exitCode = 1
  })
}
