import type { Command as Cli } from 'commander'
import { Option } from 'commander'
import { KeyFileError, createKeyFile, publicKeyPem, readKeyFile } from '../store/merkle/checkpoint-key'
import type { EventStore } from '../store/port'
import { NoTreeYet, makeCheckpoint } from '../ledger/checkpoints/make'
import { CheckpointNotPublished, publishCheckpoint } from '../ledger/checkpoints/publish'
import { CheckpointSettingsError, checkpointSettings } from '../ledger/checkpoints/settings'
import { json, labelled } from './format'
import { CliError, type CliIo } from './io'
import { readingStore } from './program'

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
