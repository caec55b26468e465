import Database from 'better-sqlite3'
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { RecordedEvent } from '../../../src/store/envelope'
import { eventHash } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { STREAM, cmd, recordScenario, recorder } from './audit-ledger'
import { cli } from '../shells/cli'
import { tempDb } from './temp-db'

/**
 * A real ledger file for the proof tests and the tamper drill: the audit scenario's unit-year
 * (STREAM, 60+ events) and the bundled 2021 sample (a second stream), a signing key with its
 * published public key, and one signed checkpoint of it all in a folder outside the store.
 */
export interface CheckpointedLedger {
  readonly dir: string
  readonly path: string
  readonly keyFile: string
  readonly publicKeyFile: string
  readonly checkpointDir: string
  /** The checkpoint the auditor keeps. */
  readonly checkpoint: string
  /** Every event, in global order, as stored when the checkpoint was signed. */
  readonly events: ReadonlyArray<RecordedEvent>
  remove(): void
}

export const checkpointedLedger = async (): Promise<CheckpointedLedger> => {
  const db = tempDb('ledger-proofs-')
  const store = new SqliteEventStore(db.path)
  await recordScenario(store)
  const { record } = recorder(store)
  for (let i = 0; i < 55; i++) await record(`2021-04-01T02:${String(i).padStart(2, '0')}:00.000Z`, cmd('AddToLine', { line: 'p01', amount: `${i + 1}.00`, category: 'ordinary' }))
  await store.close()
  expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
  const keyFile = join(db.dir, 'keys', 'signer.pem')
  const k = await cli(['checkpoint-key', 'new', '--out', keyFile, '--format', 'json'])
  const publicKeyFile = join(db.dir, 'signer.pub.pem')
  writeFileSync(publicKeyFile, JSON.parse(k.stdout).publicKey)
  const checkpointDir = join(db.dir, 'checkpoints')
  const c = await cli(['--db', db.path, 'checkpoint', '--key', keyFile, '--dir', checkpointDir, '--format', 'json'])
  expect(c.stderr).toBe('')
  const reader = new SqliteEventStore(db.path, { readOnly: true })
  const events = await reader.readAll()
  await reader.close()
  expect(events.filter((e) => e.stream === STREAM).length).toBeGreaterThan(55)
  return { dir: db.dir, path: db.path, keyFile, publicKeyFile, checkpointDir, checkpoint: JSON.parse(c.stdout).writtenTo[0], events, remove: db.remove }
}

/** A copy of the ledger file to tamper with (the original stays for the next case). */
export const copyOf = (l: CheckpointedLedger, name: string): string => {
  const to = join(l.dir, `${name}.db`)
  copyFileSync(l.path, to)
  if (existsSync(`${l.path}-wal`)) copyFileSync(`${l.path}-wal`, `${to}-wal`)
  return to
}

/** The checkpoint files in the folder, oldest first. */
export const checkpointFiles = (l: CheckpointedLedger): string[] => readdirSync(l.checkpointDir).sort().map((f) => join(l.checkpointDir, f))

export const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8'))

/** The file opened as an attacker holding better-sqlite3: the append-only triggers of the log and of the tree dropped. */
export const attackerOf = (path: string): Database.Database => {
  const db = new Database(path)
  db.exec(`DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete; DROP TRIGGER IF EXISTS events_append_only_replace;
    DROP TRIGGER IF EXISTS merkle_append_only_update; DROP TRIGGER IF EXISTS merkle_append_only_delete; DROP TRIGGER IF EXISTS merkle_append_only_replace;`)
  return db
}

/**
 * The attacker's last step: throw the Merkle tree away and let the ledger's own writer rebuild it
 * from the rewritten log, so that the file is consistent with itself again (plain verify passes).
 */
export const rebuildTree = async (path: string): Promise<void> => {
  const db = attackerOf(path)
  db.exec('DELETE FROM merkle_nodes')
  db.close()
  await new SqliteEventStore(path).close()
}

/** Alters the event at `from` and recomputes the stream's chain from there on, as the attacker would. */
export const rewriteStream = (path: string, stream: string, from: number): void => {
  const db = attackerOf(path)
  const rows = db.prepare('SELECT id, revision, type, data, metadata FROM events WHERE stream = ? ORDER BY revision').all(stream) as Array<{ id: string; revision: number; type: string; data: string; metadata: string }>
  let prev = from === 0 ? '' : (JSON.parse(rows[from - 1]!.metadata).hash as string)
  for (const r of rows.slice(from)) {
    const data = JSON.parse(r.data)
    if (r.revision === from) data.amount = '88888888.00'
    const m = JSON.parse(r.metadata)
    m.prevHash = prev
    m.hash = eventHash(stream, r.revision, { id: r.id, type: r.type, data, metadata: m }, prev)
    prev = m.hash
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE id = ?').run(JSON.stringify(data), JSON.stringify(m), r.id)
  }
  db.close()
}
