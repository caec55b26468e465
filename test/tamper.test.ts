import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventHash, verifyStream } from '../src/store/hash-chain'
import { SqliteEventStore } from '../src/store/sqlite'
import { verifyLog } from '../src/store/verify'
import { STREAM, cmd, recordScenario, recorder } from './support/audit-ledger'
import { cli } from './support/cli'
import { tempDb } from './support/temp-db'

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

  it('given the attacker also recomputes the changed event’s hash, when verified, then the next event’s link breaks; and if the whole chain is recomputed, the digest still catches it', async () => {
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
    expect((await verify()).code).toBe(0)
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

  it('given the last events of a stream deleted (every remaining link intact), when verified with the digest, then the digest names the shortened stream', async () => {
    expect((await cli(['--db', db.path, 'digest', '--out', digestFile])).code).toBe(0)
    const a = attacker(db.path)
    const last = (a.prepare('SELECT MAX(revision) AS r FROM events WHERE stream = ?').get(STREAM) as { r: number }).r
    a.prepare('DELETE FROM events WHERE stream = ? AND revision >= ?').run(STREAM, last - 1)
    a.close()
    expect((await verify()).code).toBe(0) // the chains alone cannot tell
    const r = await verify('--digest', digestFile)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`stream ${STREAM}: at position`)
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
