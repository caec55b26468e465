/**
 * Durable writes at 64 clients on a large log (issue 15: events/s must not fall as the log grows):
 * the bench's synthetic ledger of each size (scripts/bench/ledgers/ledger-file.ts), then interleaved runs of
 * its writes measure with group commits on the commit worker and on the server's thread
 * (LEDGER_COMMIT_WORKER). Runs the built server: `npm run build` first.
 *
 *   npx tsx scripts/focused-bench/bench-writes-log-size.ts [--sizes 100k,1m] [--clients 64] [--seconds 5] [--runs 3]
 */
import { loadavg } from 'node:os'
import { type LedgerFile, ledgerFile } from '../bench/ledgers/ledger-file'
import { writeWindows, writes } from '../bench/measures/writes'
import { median } from '../bench/report/stats'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const size = (s: string) => Number(s.replace(/k$/i, '000').replace(/m$/i, '000000'))
const SIZES = arg('sizes', '100k,1m').split(',').map(size)
const CLIENTS = Number(arg('clients', '64'))
const SECONDS = Number(arg('seconds', '5'))
const RUNS = Number(arg('runs', '3'))

const withWorker = (ledger: LedgerFile, on: boolean): LedgerFile => ({ ...ledger, serverEnv: (db) => ({ ...ledger.serverEnv(db), LEDGER_COMMIT_WORKER: on ? '1' : '0' }) })

const main = async () => {
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
  process.stdout.write(`durable writes, ${CLIENTS} clients, ${SECONDS} s a run after ${SECONDS} s uncounted, median of ${RUNS}; load ${load()}\n\n| log | commit worker | events/s | p99 ms | each run |\n|---:|---|---:|---:|---|\n`)
  for (const events of SIZES) {
    const ledger = await ledgerFile(events)
    try {
      const runs = new Map<boolean, Array<Awaited<ReturnType<typeof writes>>>>([[false, []], [true, []]])
      for (let i = 0; i < RUNS; i++) for (const [on, rs] of runs) rs.push(await writes(withWorker(ledger, on), CLIENTS, writeWindows(SECONDS), i))
      for (const [on, rs] of runs) {
        const perSecond = rs.map((r) => r.perSecond)
        process.stdout.write(`| ${events.toLocaleString('en')} | ${on ? 'on' : 'off'} | ${median(perSecond).toFixed(0)} | ${median(rs.map((r) => r.p99Ms)).toFixed(1)} | ${perSecond.map((x) => x.toFixed(0)).join(' ')} |\n`)
      }
    } finally {
      ledger.remove()
    }
  }
  process.stdout.write(`\nload after: ${load()}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exitCode = 1
})
