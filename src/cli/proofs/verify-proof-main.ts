#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { CliError, processIo } from '../shell/io'
import { registerVerifyProof } from './verify-proof'

/**
 * The offline verifier on its own, for an auditor's machine: `node dist/src/cli/proofs/verify-proof-main.js
 * verify-proof --public-key … …` loads nothing of the ledger but the verification (no SQLite, no
 * server code), unlike `budget-ledger verify-proof`, which runs the same command.
 */
const cli = new Command('budget-ledger').exitOverride().configureOutput({ writeOut: processIo.out, writeErr: processIo.err })
registerVerifyProof(cli, processIo)
cli.parseAsync(process.argv.slice(2), { from: 'user' }).then(
  () => undefined,
  (err: unknown) => {
    if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2
    else {
      if (err instanceof CliError) processIo.err(`budget-ledger: ${err.message}\n`)
      else processIo.err(`budget-ledger: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = err instanceof CliError ? err.exitCode : 1
    }
  },
)
