import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventHash, verifyStream } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyLog } from '../../../src/store/chain/verify'
import { STREAM, cmd, recordScenario, recorder } from '../../support/ledgers/audit-ledger'
import { cli } from '../../support/shells/cli'
import { startServer } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * An attacker with access to the SQLite file: drops the append-only triggers and edits or deletes
 * rows directly. verify must find it and name the event; a digest taken before must no longer
 * verify.
 */
const attacker = (path: string) => {
  const db = new Database(path)
  db.exec('DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;')
  return db
}

/** The revision at which an event sits in the stream. */
const revisionOf = (path: string, id: string): number => {
  const db = new Database(path, { readonly: true })
  try {
    return (db.prepare('SELECT revision FROM events WHERE id = ?').get(id) as { revision: number }).revision
  } finally {
    db.close()
  }
}

const row = (path: string, revision: number) => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare('SELECT id, data, metadata FROM events WHERE stream = ? AND revision = ?').get(STREAM, revision) as { id: string; data: string; metadata: string }
  } finally {
    db.close()
  }
}

describe('tamper evidence: verify and digest on a real SQLite file', () => {
  let db: ReturnType<typeof tempDb>
  let digestFile: string
  /** Revision of the transfer p02 → basic (amount 20000.00): the event the attacker alters. */
  let T: number
  beforeEach(async () => {
    db = tempDb('ledger-tamper-')
    const store = new SqliteEventStore(db.path)
    const ids = await recordScenario(store)
    T = revisionOf(db.path, ids.transfer)
    // A second unit-year, so that verify covers every stream.
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    await store.close()
    digestFile = join(db.dir, 'digest.json')
  })
  afterEach(() => db.remove())

  const verify = (...flags: string[]) => cli(['--db', db.path, 'verify', ...flags])

  it('given an untouched log, when it is verified, then every chain is intact; its digest verifies too, and still does after more events are appended', async () => {
    const r = await verify()
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/verified \d+ event\(s\) in 2 stream\(s\).*every hash chain is intact/)
    const d = await cli(['--db', db.path, 'digest', '--out', digestFile])
    expect(d.code).toBe(0)
    expect(d.stdout).toMatch(/sha256\s+[0-9a-f]{64}/)
    expect((await verify('--digest', digestFile)).code).toBe(0)

    // The log grows: the digest still proves its part was not rewritten.
    const store = new SqliteEventStore(db.path)
    const { record } = recorder(store)
    await record('2021-03-20T03:00:00.000Z', cmd('AddToLine', { line: 'p01', amount: '1.00', category: 'ordinary' }))
    await store.close()
    const later = await verify('--digest', digestFile, '--format', 'json')
    expect(later.code).toBe(0)
    expect(JSON.parse(later.stdout).digest).toMatchObject({ ok: true, problems: [] })
  })

  it('given one byte of one event’s data changed in the file, when the log is verified, then it fails naming that event, and the earlier digest no longer verifies', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const victim = row(db.path, T)
    expect(victim.data).toContain('"amount":"20000.00"')
    // One byte: the 2 of 20000.00 becomes a 9.
    const tampered = victim.data.replace('"amount":"20000.00"', '"amount":"90000.00"')
    expect(tampered.length).toBe(victim.data.length)
    expect([...tampered].filter((c, i) => c !== victim.data[i])).toHaveLength(1)
    const a = attacker(db.path)
    a.prepare('UPDATE events SET data = ? WHERE stream = ? AND revision = ?').run(tampered, STREAM, T)
    a.close()

    const r = await verify()
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`stream ${STREAM} revision ${T} event ${victim.id}`)
    expect(r.stdout).toContain('hash-mismatch')
    expect(r.stdout).toContain(`found    ${JSON.parse(victim.metadata).hash}`)
    expect(r.stderr).toContain(victim.id)

    const json = JSON.parse((await verify('--format', 'json')).stdout)
    expect(json.ok).toBe(false)
    expect(json.breaks).toEqual([
      expect.objectContaining({ stream: STREAM, revision: T, eventId: victim.id, problem: 'hash-mismatch', found: JSON.parse(victim.metadata).hash }),
    ])
    // The same verdict as verifyStream, through the port.
    const store = new SqliteEventStore(db.path)
    expect(verifyStream(await store.readStream(STREAM))).toMatchObject({ revision: T, eventId: victim.id, problem: 'hash-mismatch' })
    expect((await verifyLog(store)).breaks[0]).toMatchObject({ revision: T, eventId: victim.id })
    await store.close()

    const withDigest = await verify('--digest', digestFile)
    expect(withDigest.code).toBe(1)
    // A digest is refused for a log that does not verify.
    expect((await cli(['--db', db.path, 'digest'])).code).toBe(1)
  })

  it('given the attacker also recomputes the changed event’s hash, when verified, then the next event’s link breaks; and if the whole chain is recomputed, the Merkle tree and the digest still catch it', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const a = attacker(db.path)
    const rows = a.prepare('SELECT id, revision, type, data, metadata FROM events WHERE stream = ? ORDER BY revision').all(STREAM) as Array<{
      id: string
      revision: number
      type: string
      data: string
      metadata: string
    }>
    const victim = rows[T]!
    const data = JSON.parse(victim.data.replace('"amount":"20000.00"', '"amount":"90000.00"'))
    const meta = JSON.parse(victim.metadata)
    meta.hash = eventHash(STREAM, T, { id: victim.id, type: victim.type, data, metadata: meta }, meta.prevHash)
    a.prepare('UPDATE events SET data = ?, metadata = ? WHERE id = ?').run(JSON.stringify(data), JSON.stringify(meta), victim.id)
    a.close()

    const r = await verify('--format', 'json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).breaks[0]).toMatchObject({ revision: T + 1, eventId: rows[T + 1]!.id, problem: 'prev-hash-mismatch' })

    // Now the whole rest of the chain, so that every link checks out again. (Opening the store
    // put the triggers back: the attacker drops them again.)
    const b = attacker(db.path)
    let prev = meta.hash as string
    for (const x of rows.slice(T + 1)) {
      const m = JSON.parse(x.metadata)
      m.prevHash = prev
      m.hash = eventHash(STREAM, x.revision, { id: x.id, type: x.type, data: JSON.parse(x.data), metadata: m }, prev)
      prev = m.hash
      b.prepare('UPDATE events SET metadata = ? WHERE id = ?').run(JSON.stringify(m), x.id)
    }
    b.close()
    // The chains check out again; the Merkle tree in the file, which the attacker left alone, does not.
    const plain = await verify()
    expect(plain.code).toBe(1)
    expect(plain.stdout).not.toContain('fail the hash chain')
    expect(plain.stdout).toMatch(new RegExp(`BROKEN: the Merkle tree does not agree with the log\n  leaf \\d+ of the tree is [0-9a-f]{64}, but event ${rows[T]!.id} \\(stream ${STREAM} revision ${T},`))
    const withDigest = await verify('--digest', digestFile)
    expect(withDigest.code).toBe(1)
    expect(withDigest.stdout).toContain('is NOT the one it was taken of')
    expect(withDigest.stdout).toContain(`stream ${STREAM} revision ${rows.length - 1}: hash`)
  })

  it('given an event deleted from the middle of a stream, when verified, then the gap is named; and the earlier digest no longer verifies', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const next = row(db.path, T + 1)
    const a = attacker(db.path)
    a.prepare('DELETE FROM events WHERE stream = ? AND revision = ?').run(STREAM, T)
    a.close()

    const r = await verify()
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`stream ${STREAM} revision ${T + 1} event ${next.id}`)
    expect(r.stdout).toContain('revision-gap')
    expect(r.stdout).toContain(`revision ${T} is missing`)

    const withDigest = await verify('--digest', digestFile, '--format', 'json')
    expect(withDigest.code).toBe(1)
    const report = JSON.parse(withDigest.stdout)
    expect(report.digest.ok).toBe(false)
    expect(report.digest.problems.join('\n')).toMatch(/event\(s\) at or before position/)
  })

  it('given the last events of a stream deleted (every remaining link intact), when verified, then the Merkle tree names the removed events, and the digest the shortened stream', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const a = attacker(db.path)
    const last = (a.prepare('SELECT MAX(revision) AS r FROM events WHERE stream = ?').get(STREAM) as { r: number }).r
    a.prepare('DELETE FROM events WHERE stream = ? AND revision >= ?').run(STREAM, last - 1)
    a.close()
    // The chains alone cannot tell; the Merkle tree in the file, which the attacker left alone, can.
    const plain = await verify()
    expect(plain.code).toBe(1)
    expect(plain.stdout).not.toContain('fail the hash chain')
    expect(plain.stdout).toMatch(/the tree covers (\d+) event\(s\) but the log holds only \d+: events were removed from the log/)
    const r = await verify('--digest', digestFile)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`stream ${STREAM}: at position`)
  })

  /** Whether the file still has an events table (a writer must not re-create one). */
  const hasEventsTable = (): boolean => {
    const f = new Database(db.path, { readonly: true })
    try {
      return f.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get() !== undefined
    } finally {
      f.close()
    }
  }
  const WRITES: string[][] = [['sample'], ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '1.00', '--reason', '测试', '--document', '测试〔2021〕2号']]

  it('given the events table dropped with foreign keys off (the sqlite3 shell’s default), when verified, then verify names the missing log and exits 1; a writing command is refused naming the file, and no empty events table is re-created', async () => {
    const a = new Database(db.path)
    a.pragma('foreign_keys = OFF')
    a.exec('DROP TABLE events')
    a.close()

    const r = await verify()
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`budget-ledger: cannot use ${db.path} as a ledger: the log's first event (position 1) is missing: the events table was dropped\n`)
    expect(r.code).toBe(1)
    for (const argv of WRITES) {
      const w = await cli(['--db', db.path, ...argv])
      expect(w.stderr, argv[0]).toBe(
        `budget-ledger: cannot use ${db.path} as a ledger: the log's first event (position 1) is missing: the events table was dropped; not opened for writing, which would start an empty log in its place (restore the file from a backup)\n`,
      )
      expect(w.code, argv[0]).toBe(1)
      expect(hasEventsTable(), argv[0]).toBe(false)
    }
    expect((await verify()).code).toBe(1)
  })

  it('given every event deleted with foreign keys off and the delete trigger dropped, when verified, then the log is BROKEN naming its missing first event (text and JSON), no digest is taken, and a writing command is refused', async () => {
    const a = attacker(db.path)
    a.pragma('foreign_keys = OFF')
    a.exec('DELETE FROM events')
    a.close()

    const missing = "the log's first event (position 1) is missing: its events were deleted (or the events table dropped and re-created)"
    const r = await verify()
    expect(r.stdout).toContain(`BROKEN: ${missing}`)
    expect(r.stdout).not.toContain('intact')
    expect(r.stderr).toBe(`budget-ledger: the log does not verify: ${missing}\n`)
    expect(r.code).toBe(1)
    const json = await verify('--format', 'json')
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, events: 0, breaks: [], firstEventMissing: { position: 1, detail: missing } })
    const d = await cli(['--db', db.path, 'digest', '--out', digestFile])
    expect(d.code).toBe(1)
    expect(d.stdout).toContain(`BROKEN: ${missing}`)
    for (const argv of WRITES) {
      const w = await cli(['--db', db.path, ...argv])
      expect(w.stderr, argv[0]).toContain(`cannot use ${db.path} as a ledger: ${missing}; not opened for writing`)
      expect(w.code, argv[0]).toBe(1)
    }
  })

  it('given a digest file edited by hand, when used, then it is refused as altered', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const d = JSON.parse(readFileSync(digestFile, 'utf8'))
    d.events += 1
    writeFileSync(digestFile, JSON.stringify(d))
    const r = await verify('--digest', digestFile)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('does not match its own sha256')
  })
})

describe('tamper evidence over HTTP', () => {
  it('given the events table dropped under a running server (foreign keys off), when an auditor asks to verify, then the report is not ok and names the missing first event, and no digest is taken', async () => {
    const t = await startServer({ fixture: true })
    try {
      const a = new Database(t.dbPath)
      a.pragma('foreign_keys = OFF')
      a.exec('DROP TABLE events')
      a.close()
      const v = await t.request('GET', '/api/audit/verify', { token: 'auditor' })
      expect(v.status).toBe(200)
      expect(v.body).toMatchObject({
        ok: false,
        events: 0,
        breaks: [],
        firstEventMissing: { position: 1, detail: "the log's first event (position 1) is missing: the events table was dropped" },
      })
      expect((await t.request('GET', '/api/audit/digest', { token: 'auditor' })).status).toBe(409)
      expect(t.logged).toEqual([])
    } finally {
      await t.close()
    }
  })
})
