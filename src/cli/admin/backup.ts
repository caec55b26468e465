import { resolve } from 'node:path'
import type { Command as Cli } from 'commander'
import { Option } from 'commander'
import { type BackupProgress, BackupRefused, type CheckedLedger, backupLedger, restoreLedger } from '../../store/backup/backup'
import { MigrationRefused } from '../../store/backup/migrate'
import { describeStore, eventStoreUrl, sqlitePath } from '../../store/open'
import { StoreUnavailable } from '../../store/port'
import { LedgerNotFound, LedgerUnusable } from '../../store/sqlite/sqlite-file'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'
import { migrateLine } from './migrate'
import { type GlobalOptions, readingStore } from '../program'
import { progressPrinter } from '../shell/progress'
import { readPublicKey } from '../proofs/verify-proof'
import type { CheckpointTrust } from '../../store/backup/backup-checkpoint'
import { KeyFileError, readKeyFile } from '../../store/merkle/checkpoints/checkpoint-key'

/**
 * `budget-ledger backup --out FILE` and `restore --from FILE [--to FILE]` (src/store/backup/backup.ts):
 * progress on stderr, what was verified on stdout, aligned or as JSON (--format json).
 */

const progressLine = (p: BackupProgress): string => {
  switch (p.phase) {
    case 'copy':
      return `copy: ${p.pages}/${p.totalPages} pages (${p.totalPages === 0 ? 100 : Math.floor((p.pages * 100) / p.totalPages)}%)`
    case 'migrate':
      return migrateLine(p.migrate)
    case 'verify':
      return `verify: every hash chain of ${p.file}`
  }
}

const phaseOf = (p: BackupProgress): string => (p.phase === 'migrate' ? `migrate ${p.migrate.phase}` : p.phase)

const verifiedLines = (label: string, c: CheckedLedger): Array<readonly [string, string]> => [
  [label, resolve(c.file)],
  ['  verified', `${c.verified.events} event(s) in ${c.verified.streams} stream(s), up to position ${c.verified.position}: every hash chain is intact`],
  ['  checkpoint', c.checkpoint.detail],
]

interface TrustOptions {
  checkpointDir?: string
  publicKey?: string
}

/**
 * The checkpoints a backup must hold: the folder (--checkpoint-dir, else LEDGER_CHECKPOINT_DIR) and
 * the signer's key (--public-key, else the public half of LEDGER_CHECKPOINT_KEY). Neither: none.
 */
const trustOf = (o: TrustOptions, env: NodeJS.ProcessEnv): CheckpointTrust | undefined => {
  const dir = o.checkpointDir ?? env.LEDGER_CHECKPOINT_DIR
  if (dir === undefined) {
    if (o.publicKey !== undefined) throw new CliError('--public-key needs the folder of the checkpoints: --checkpoint-dir DIR (or LEDGER_CHECKPOINT_DIR)', 2)
    return undefined
  }
  if (o.publicKey !== undefined) return { dir, publicKey: readPublicKey(o.publicKey) }
  if (!env.LEDGER_CHECKPOINT_KEY) throw new CliError(`checkpoints in ${dir}: give the signer's public key, --public-key FILE (or LEDGER_CHECKPOINT_KEY)`, 2)
  try {
    return { dir, publicKey: readKeyFile(env.LEDGER_CHECKPOINT_KEY).publicKey }
  } catch (err) {
    if (err instanceof KeyFileError) throw new CliError(`LEDGER_CHECKPOINT_KEY: ${err.message}`)
    throw err
  }
}

const trustOptions = (c: Cli): Cli =>
  c
    .option('--checkpoint-dir <dir>', 'the signed checkpoints the copy must hold (default: LEDGER_CHECKPOINT_DIR)')
    .option('--public-key <file>', 'the signer’s published public key, PEM (default: the public half of LEDGER_CHECKPOINT_KEY)')

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const FORMAT = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')

const refused = (err: unknown): never => {
  if (err instanceof BackupRefused || err instanceof MigrationRefused || err instanceof LedgerNotFound || err instanceof LedgerUnusable || err instanceof StoreUnavailable)
    throw new CliError(err.message)
  throw err
}

export const registerBackup = (cli: Cli, io: CliIo): void => {
  trustOptions(cli
    .command('backup'))
    .description('copy the ledger into a new SQLite file while it is in use (EventStoreDB: through migrate), verified before it is called good')
    .requiredOption('--out <file>', 'the backup file to create (never overwritten)')
    .option('--quiet', 'no progress on stderr')
    .addOption(FORMAT())
    .action(
      readingStore(io, cli, async (store, o: { out: string; quiet?: boolean; format: string } & TrustOptions) => {
        const progress = progressPrinter(io, progressLine, phaseOf)
        try {
          const checkpoints = trustOf(o, io.env)
          const b = await backupLedger(store, o.out, { ...(checkpoints ? { checkpoints } : {}), ...(o.quiet ? {} : { onProgress: progress.onProgress }) })
          if (!o.quiet) progress.flush()
          const from = describeStore(cli.opts<GlobalOptions>(), io.env)
          if (o.format === 'json') return io.out(json({ from, ...b, file: resolve(b.file) }))
          io.out(labelled([['from', from], ['method', b.method === 'migrate' ? 'migrate (EventStoreDB → SQLite)' : 'SQLite online backup'], ...verifiedLines('backup', b), ['elapsed', seconds(b.elapsedMs)]]))
        } catch (err) {
          if (!o.quiet) progress.flush()
          refused(err)
        }
      }),
    )

  trustOptions(cli
    .command('restore'))
    .description('restore a backup into a SQLite ledger file, after verifying it; refuses to overwrite a ledger without --force')
    .requiredOption('--from <file>', 'the backup file (made by `backup`)')
    .option('--to <file>', 'the ledger file to restore into (default: --db, LEDGER_DB or ./data/ledger.db)')
    .option('--force', 'replace the ledger the target file holds (stop the server using it first)')
    .option('--quiet', 'no progress on stderr')
    .addOption(FORMAT())
    .action(async (o: { from: string; to?: string; force?: boolean; quiet?: boolean; format: string } & TrustOptions) => {
      const global = cli.opts<GlobalOptions>()
      if (o.to === undefined && eventStoreUrl(global, io.env))
        throw new CliError('restore writes a SQLite file: give --to FILE (then `budget-ledger migrate --from sqlite:FILE --to esdb://…` fills an empty EventStoreDB)', 2)
      const to = o.to ?? sqlitePath(global, io.env)
      const progress = progressPrinter(io, progressLine, phaseOf)
      try {
        const checkpoints = trustOf(o, io.env)
        const r = await restoreLedger(o.from, to, { ...(checkpoints ? { checkpoints } : {}), ...(o.force ? { force: true } : {}), ...(o.quiet ? {} : { onProgress: progress.onProgress }) })
        if (!o.quiet) progress.flush()
        if (o.format === 'json') return io.out(json({ ...r, from: { ...r.from, file: resolve(r.from.file) }, to: { ...r.to, file: resolve(r.to.file) } }))
        io.out(labelled([...verifiedLines('backup', r.from), ...verifiedLines('restored to', r.to), ...(r.replaced ? [['replaced', 'the ledger the file held before (--force)'] as const] : []), ['elapsed', seconds(r.elapsedMs)]]))
      } catch (err) {
        if (!o.quiet) progress.flush()
        refused(err)
      }
    })
}
