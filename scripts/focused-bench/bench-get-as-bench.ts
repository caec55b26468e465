#!/usr/bin/env node
/**
 * The bench's own GET measure alone (measures/server.ts `serverRun`: a fresh server, its first
 * answer, then it and the ceiling both up and warmed, loaded in alternating pairs of windows), on a
 * copy of a bench ledger, `--runs` times: what `npm run bench` reports as "GET table 3 as a share of
 * the ceiling", without the rest of the bench. Prints each pair's req/s, share and load, each run's
 * median, and the median and range of every pair (docs/speed.md, "GET share, measured in pairs").
 *
 *   npx tsx scripts/focused-bench/bench-get-as-bench.ts --db COPY [--runs 3] [--seconds 3]
 */
import { loadavg, tmpdir } from 'node:os'
import { mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { TOKEN_ENTRIES, type LedgerFile } from '../bench/ledgers/ledger-file'
import { serverRun } from '../bench/measures/server'
import { arg } from '../bench/cli-arg'
import { shareSummary } from '../bench/load/interleaved'

const main = async () => {
  const db = resolve(arg('db'))
  const runs = Number(arg('runs', '3'))
  const seconds = Number(arg('seconds', '3'))
  const dir = mkdtempSync(join(tmpdir(), 'bench-get-as-bench-'))
  const ledger = { dir, path: db, events: 0, copy: () => db, serverEnv: (p: string) => ({ LEDGER_DB: p, LEDGER_TOKENS: TOKEN_ENTRIES, LEDGER_USERS_FILE: join(dir, 'users.json') }), remove: () => undefined } as LedgerFile
  try {
    const shares: number[] = []
    for (let r = 0; r < runs; r++) {
      const load = loadavg()[0]!
      const s = await serverRun(ledger, 64, seconds)
      for (const [i, p] of s.pairs.entries())
        console.log(`run ${r + 1} pair ${i + 1} (${p.first} first): GET ${p.ours.perSecond.toFixed(0)} req/s, ceiling ${p.ceiling.perSecond.toFixed(0)} req/s, share ${p.share.toFixed(0)} % (load ${p.load.toFixed(2)})`)
      const run = shareSummary(s.pairs.map((p) => p.share))
      shares.push(...s.pairs.map((p) => p.share))
      console.log(`run ${r + 1}: pooled GET ${s.reads.perSecond.toFixed(0)} req/s (p99 ${s.reads.p99Ms.toFixed(1)} ms), ceiling ${s.ceiling.perSecond.toFixed(0)} req/s (p99 ${s.ceiling.p99Ms.toFixed(1)} ms); share median ${run.median.toFixed(0)} % (pairs ${run.low.toFixed(0)}–${run.high.toFixed(0)} %) (load at the start ${load.toFixed(2)})`)
    }
    const all = shareSummary(shares)
    console.log(`all runs: share median ${all.median.toFixed(0)} % of ${all.pairs} pairs (${all.low.toFixed(0)}–${all.high.toFixed(0)} %), load ${loadavg()[0]!.toFixed(2)} at the end`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
