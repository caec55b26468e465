#!/usr/bin/env node
/**
 * The bench's own GET measure alone (measures/server.ts `serverRun`: a fresh server, its first
 * answer, 3 s of load, then the ceiling fresh, 3 s), on a copy of a bench ledger, `--runs` times:
 * what `npm run bench` reports as "GET table 3 as a share of the ceiling", without the rest of the
 * bench. Prints each run's req/s, the share and the load (docs/speed.md, "GET, the route's own work").
 *
 *   npx tsx scripts/bench-get-as-bench.ts --db COPY [--runs 3] [--seconds 3]
 */
import { loadavg, tmpdir } from 'node:os'
import { mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { TOKEN_ENTRIES, type LedgerFile } from './bench/ledger-file'
import { serverRun } from './bench/measures/server'
import { arg } from './bench/cli-arg'


const main = async () => {
  const db = resolve(arg('db'))
  const runs = Number(arg('runs', '3'))
  const seconds = Number(arg('seconds', '3'))
  const dir = mkdtempSync(join(tmpdir(), 'bench-get-as-bench-'))
  const ledger = { dir, path: db, events: 0, copy: () => db, serverEnv: (p: string) => ({ LEDGER_DB: p, LEDGER_TOKENS: TOKEN_ENTRIES, LEDGER_USERS_FILE: join(dir, 'users.json') }), remove: () => undefined } as LedgerFile
  try {
    for (let r = 0; r < runs; r++) {
      const load = loadavg()[0]!
      const s = await serverRun(ledger, 64, seconds)
      console.log(`run ${r + 1}: GET ${s.reads.perSecond.toFixed(0)} req/s, ceiling ${s.ceiling.perSecond.toFixed(0)} req/s, share ${((100 * s.reads.perSecond) / s.ceiling.perSecond).toFixed(0)} % (load ${load.toFixed(2)})`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
