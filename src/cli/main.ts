#!/usr/bin/env node
import { processIo } from './shell/io'
import { run } from './program'
import { extensions } from './extensions'

run(process.argv.slice(2), processIo, extensions).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`budget-ledger: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
