import { type KeyObject, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { type Command as Cli, Option } from 'commander'
import { type Verdict, trustedCheckpoint, verifyConsistencyProof, verifyInclusionProof } from '../../store/merkle/proofs/verify-proof'
import { CliError, type CliIo } from '../shell/io'

/**
 * `budget-ledger verify-proof`: the auditor's offline verifier (docs/audit.md). It opens no store
 * and reaches no server: it reads the published public key, checkpoints, proofs and events from
 * files, and imports nothing of the ledger but store/merkle's verification (test/audit/evidence/proofs.test.ts
 * keeps it so).
 */
const readJson = (path: string, what: string): unknown => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new CliError(`${path}: the ${what} is not JSON (${err instanceof Error ? err.message : String(err)})`)
  }
}

export const readPublicKey = (path: string): KeyObject => {
  try {
    const key = createPublicKey(readFileSync(path, 'utf8'))
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, found ${key.asymmetricKeyType}`)
    return key
  } catch (err) {
    throw new CliError(`${path}: not the public key of a checkpoint signer (${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))})`)
  }
}

interface Options {
  publicKey: string
  checkpoint?: string
  proof?: string
  event?: string
  from?: string
  to?: string
  format: string
}

const verdictOf = (o: Options): Verdict => {
  const key = readPublicKey(o.publicKey)
  const checkpoint = (path: string) => trustedCheckpoint(readJson(path, 'checkpoint'), key, path)
  if (o.checkpoint !== undefined) {
    if (o.proof === undefined) throw new CliError('--checkpoint needs --proof: the inclusion proof of an event (budget-ledger prove inclusion)', 2)
    const c = checkpoint(o.checkpoint)
    if (!c.ok) return c
    const event = o.event === undefined ? undefined : readJson(o.event, 'event')
    return verifyInclusionProof(readJson(o.proof, 'proof'), c.checkpoint, { proof: o.proof, checkpoint: o.checkpoint }, event)
  }
  if (o.from !== undefined && o.to !== undefined) {
    const a = checkpoint(o.from)
    if (!a.ok) return a
    const b = checkpoint(o.to)
    if (!b.ok) return b
    return verifyConsistencyProof(a.checkpoint, b.checkpoint, { from: o.from, to: o.to, ...(o.proof ? { proof: o.proof } : {}) }, o.proof === undefined ? undefined : readJson(o.proof, 'proof'))
  }
  throw new CliError('give --checkpoint FILE --proof FILE [--event FILE] (an event in the log), or --from FILE --to FILE [--proof FILE] (one log extends the other)', 2)
}

export const registerVerifyProof = (cli: Cli, io: CliIo): void => {
  cli
    .command('verify-proof')
    .description('offline: check checkpoints and proofs with the published public key alone (no database, no server); exit 1 if refused')
    .requiredOption('--public-key <file>', 'the signer’s published public key (PEM)')
    .option('--checkpoint <file>', 'a checkpoint, for an inclusion proof')
    .option('--proof <file>', 'an inclusion proof (with --checkpoint) or a consistency proof (with --from/--to)')
    .option('--event <file>', 'your own copy of the event (JSON), checked instead of the proof’s')
    .option('--from <file>', 'the earlier checkpoint')
    .option('--to <file>', 'the later checkpoint')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: Options) => {
      const v = verdictOf(o)
      io.out(o.format === 'json' ? `${JSON.stringify(v, null, 2)}\n` : v.ok ? `OK: ${v.summary}\n` : `REFUSED: ${v.problem}\n`)
      if (!v.ok) throw new CliError(v.problem)
    })
}
