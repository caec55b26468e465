import { readFileSync, writeFileSync } from 'node:fs'
import type { Command as Cli } from 'commander'
import { CHECKPOINT_FORMAT, type Checkpoint } from '../../store/merkle/checkpoints/checkpoint'
import { type Verdict, verifyConsistencyProof, verifyInclusionProof } from '../../store/merkle/proofs/verify-proof'
import { CannotProve, proveConsistency, proveInclusion } from '../../ledger/checkpoints/prove'
import { Option } from 'commander'
import { KeyFileError, createKeyFile, publicKeyPem, readKeyFile } from '../../store/merkle/checkpoints/checkpoint-key'
import type { EventStore } from '../../store/port'
import { NoTreeYet, makeCheckpoint } from '../../ledger/checkpoints/make'
import { CheckpointNotPublished, publishCheckpoint } from '../../ledger/checkpoints/publish'
import { CheckpointSettingsError, checkpointSettings } from '../../ledger/checkpoints/settings'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { readingStore } from '../program'

/**
 * Signed checkpoints from the command line (docs/audit.md, "Signed checkpoints"): a new signing
 * key, and a checkpoint on demand. Thin: parse, call src/ledger/checkpoints, print.
 */
const asCliError = <T>(f: () => T): T => {
  try {
    return f()
  } catch (err) {
    if (err instanceof KeyFileError || err instanceof CheckpointSettingsError || err instanceof CheckpointNotPublished || err instanceof NoTreeYet) throw new CliError(err.message)
    throw err
  }
}

export const registerCheckpoints = (cli: Cli, io: CliIo): void => {
  const key = cli.command('checkpoint-key').description('the Ed25519 key that signs checkpoints, kept outside the database')
  key
    .command('new')
    .description('create a signing key (PEM, mode 0600, never over an existing file) and print its public key to publish')
    .requiredOption('--out <file>', 'where to write the private key (keep it apart from the ledger)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: { out: string; format: string }) => {
      const k = asCliError(() => createKeyFile(o.out))
      const pem = publicKeyPem(k)
      io.out(o.format === 'json' ? json({ keyFile: o.out, keyId: k.keyId, publicKey: pem }) : `${labelled([['key file', o.out], ['key id', k.keyId]])}public key (publish it; auditors verify checkpoints with it):\n${pem}`)
    })

  cli
    .command('checkpoint')
    .description('sign a checkpoint of the log now (tree size, root hash, time) and write it outside the store')
    .option('--key <file>', 'the signing key (env LEDGER_CHECKPOINT_KEY)')
    .option('--dir <folder>', 'write the checkpoint into this folder, one JSON file each (env LEDGER_CHECKPOINT_DIR)')
    .option('--witness <url>', 'POST the checkpoint to this witness (env LEDGER_WITNESS_URL)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      readingStore(io, cli, async (store: EventStore, o: { key?: string; dir?: string; witness?: string; format: string }) => {
        const env = asCliError(() => checkpointSettings({ ...io.env, LEDGER_CHECKPOINT_KEY: undefined }))
        const keyFile = o.key ?? io.env.LEDGER_CHECKPOINT_KEY
        if (keyFile === undefined) throw new CliError('no signing key: give --key FILE or set LEDGER_CHECKPOINT_KEY (create one with `budget-ledger checkpoint-key new --out FILE`)', 2)
        const k = asCliError(() => readKeyFile(keyFile))
        const targets = { ...((o.dir ?? env.dir) === undefined ? {} : { dir: o.dir ?? env.dir }), ...((o.witness ?? env.witnessUrl) === undefined ? {} : { witnessUrl: o.witness ?? env.witnessUrl }) }
        const c = await makeCheckpoint(store, k, new Date()).catch((err: unknown) => asCliError(() => {
          throw err
        }))
        let places: string[]
        try {
          places = await publishCheckpoint(c, targets)
        } catch (err) {
          if (err instanceof CheckpointNotPublished) throw new CliError(`${err.message}; no checkpoint was kept`)
          throw err
        }
        io.out(
          o.format === 'json'
            ? json({ checkpoint: c, writtenTo: places })
            : labelled([
                ['tree size', `${c.treeSize} event(s)`],
                ['root hash', c.rootHash],
                ['time', c.time],
                ['key id', c.keyId],
                ...places.map((p): [string, string] => ['written to', p]),
              ]),
        )
      }),
    )
}

/** A checkpoint file as the prover reads it: only its size and root matter (the auditor checks the signature). */
const readCheckpoint = (path: string): Checkpoint => {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new CliError(`cannot read the checkpoint ${path} (${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))})`)
  }
  const c = value as Partial<Checkpoint>
  if (c?.format !== CHECKPOINT_FORMAT || typeof c.treeSize !== 'number' || typeof c.rootHash !== 'string') throw new CliError(`${path}: not a checkpoint (expected "format": "${CHECKPOINT_FORMAT}" with treeSize and rootHash)`)
  return c as Checkpoint
}

/** Prints the proof (to --out too), then checks it as the auditor will: a proof this log cannot honour exits 1, saying why. */
const handOut = (io: CliIo, proof: unknown, out: string | undefined, verdict: Verdict): void => {
  const text = json(proof)
  if (out !== undefined) writeFileSync(out, text, { flag: 'wx' })
  io.out(text)
  if (!verdict.ok) throw new CliError(`this log cannot prove it: ${verdict.problem}`)
}

export const registerProofs = (cli: Cli, io: CliIo): void => {
  const prove = cli.command('prove').description('proofs for auditors, as JSON: an event is in the log under a checkpoint; a later checkpoint extends an earlier one')
  prove
    .command('inclusion')
    .description('the inclusion proof of an event under a checkpoint (RFC 9162 §2.1.3)')
    .requiredOption('--event <id>', 'the event id')
    .requiredOption('--checkpoint <file>', 'the checkpoint (JSON) to prove it under')
    .option('--out <file>', 'also write the proof to this file')
    .action(
      readingStore(io, cli, async (store: EventStore, o: { event: string; checkpoint: string; out?: string }) => {
        const c = readCheckpoint(o.checkpoint)
        const proof = await proving(() => proveInclusion(store, o.event, c.treeSize))
        handOut(io, proof, o.out, verifyInclusionProof(proof, c, { proof: 'the proof', checkpoint: o.checkpoint }))
      }),
    )
  prove
    .command('consistency')
    .description('the consistency proof from an earlier checkpoint to a later one (RFC 9162 §2.1.4)')
    .requiredOption('--from <file>', 'the earlier checkpoint')
    .requiredOption('--to <file>', 'the later checkpoint')
    .option('--out <file>', 'also write the proof to this file')
    .action(
      readingStore(io, cli, async (store: EventStore, o: { from: string; to: string; out?: string }) => {
        const a = readCheckpoint(o.from)
        const b = readCheckpoint(o.to)
        const proof = await proving(() => proveConsistency(store, a.treeSize, b.treeSize))
        handOut(io, proof, o.out, verifyConsistencyProof(a, b, { from: o.from, to: o.to, proof: 'the proof' }, proof))
      }),
    )
}

const proving = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (err) {
    if (err instanceof CannotProve) throw new CliError(err.message)
    throw err
  }
}
