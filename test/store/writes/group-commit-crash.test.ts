import { randomInt, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamOf } from '../../../src/domain/codecs/primitives'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { verifyLog } from '../../../src/store/chain/verify'
import { ledger } from '../../support/shells/cli'
import { FIXTURE, type Spawned, TOKEN_ENTRIES, addBody, fixtureBudgetFile, send, spawnServer, stopServer } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * Issue 15's crash test: a real server process, group commit on, under 64 concurrent writers,
 * killed with SIGKILL at a random moment, five times over the same SQLite file. After each
 * restart every command that was answered 2xx is in the log, no command is partial (all of its
 * events or none) and the log verifies.
 */

const WRITERS = 64
const ROUNDS = 5
const UNITS = ['900001', '900002', '900003', '900004']

/** What the writers sent: each add by its Idempotency-Key, each import by its new unit code. */
interface Sent {
  readonly adds: Map<string, { stream: string; acked?: { id: string; revision: number } }>
  readonly imports: Map<string, { acked?: number }>
}

const killAtRandom = async (server: Spawned, acked: () => number): Promise<void> => {
  // Some answers first, so that the kill lands amid answered and unanswered commands alike.
  while (acked() < WRITERS) await new Promise((r) => setTimeout(r, 5))
  await new Promise((r) => setTimeout(r, randomInt(0, 800)))
  const exited = new Promise((r) => server.child.once('exit', r))
  server.child.kill('SIGKILL')
  await exited
}

/** One writer: adds to the four unit-years, and every eighth command (the fourth, twelfth…) a budget file of a unit of its own. */
const writer = async (url: string, round: number, w: number, sent: Sent, count: () => void): Promise<void> => {
  for (let i = 0; ; i++) {
    try {
      if (i % 8 === 3) {
        const unit = `7${round}${String(w).padStart(2, '0')}${String(i).padStart(4, '0')}`
        sent.imports.set(unit, {})
        const r = await send(url, 'POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code: unit, name: `崩溃测试${unit}` } } })
        expect(r.status).toBe(201)
        sent.imports.set(unit, { acked: r.body.events })
      } else {
        const key = randomUUID()
        const stream = streamOf(UNITS[(w + i) % UNITS.length]!, FIXTURE.year)
        sent.adds.set(key, { stream })
        const r = await send(url, 'POST', `/api/units/${UNITS[(w + i) % UNITS.length]}/years/${FIXTURE.year}/commands`, { token: 'finance', body: addBody('0.01'), headers: { 'idempotency-key': key } })
        expect(r.status).toBe(201)
        sent.adds.set(key, { stream, acked: { id: r.body.events[0].id, revision: r.body.revision } })
      }
      count()
    } catch (err) {
      // The server is gone: this writer's last command may or may not be in the log.
      if (err instanceof TypeError) return
      throw err
    }
  }
}

describe('crash test: SIGKILL under 64 writers with group commit on', () => {
  let db: ReturnType<typeof tempDb>
  let env: Record<string, string>
  beforeAll(() => {
    db = tempDb('ledger-crash-')
    env = { LEDGER_DB: db.path, LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES), LEDGER_GROUP_COMMIT: '1' }
  })
  afterAll(() => db.remove())

  it('given a server killed at a random moment, five rounds, then after each restart every acknowledged command is in the log, none is partial, and verify passes', async () => {
    let server = await spawnServer(db.dir, env)
    try {
      // Every budget file the writers send has the shape of these: as many events as they record.
      const sizes = new Set<number>()
      for (const unit of UNITS) {
        const r = await send(server.url, 'POST', '/api/budget-files', { token: 'finance', body: { ...fixtureBudgetFile(), unit: { code: unit, name: `测试单位${unit}` } } })
        expect(r.status).toBe(201)
        sizes.add(r.body.events)
      }
      expect(sizes.size).toBe(1)
      const [size] = sizes
      const sent: Sent = { adds: new Map(), imports: new Map() }
      for (let round = 0; round < ROUNDS; round++) {
        let acked = 0
        const writers = Array.from({ length: WRITERS }, (_, w) => writer(server.url, round, w, sent, () => acked++))
        await killAtRandom(server, () => acked)
        await Promise.all(writers)

        server = await spawnServer(db.dir, env)
        const reader = new SqliteEventStore(db.path, { readOnly: true })
        try {
          for (const [key, { stream, acked: answer }] of sent.adds) {
            const found = await reader.readByIdempotencyKey(stream, key)
            expect(found.length).toBeLessThanOrEqual(1)
            if (answer) expect(found.map((e) => [e.id, e.revision])).toEqual([[answer.id, answer.revision]])
          }
          // All of a budget file's events or none.
          for (const [unit, { acked }] of sent.imports) {
            const stored = (await reader.readStream(streamOf(unit, FIXTURE.year))).length
            if (acked !== undefined) expect([acked, stored]).toEqual([size, size])
            else expect([0, size]).toContain(stored)
          }
          const report = await verifyLog(reader)
          expect(report.breaks).toEqual([])
          expect(report.tree).toMatchObject({ ok: true })
          expect(report.ok).toBe(true)
        } finally {
          await reader.close()
        }
      }
      expect([...sent.adds.values()].filter((a) => a.acked).length).toBeGreaterThan(ROUNDS * WRITERS / 2)
      expect([...sent.imports.values()].some((i) => i.acked !== undefined)).toBe(true)
    } finally {
      await stopServer(server)
    }
    const verified = await ledger(['--db', db.path, 'verify'])
    expect(verified.stderr).toBe('')
    expect(verified.code).toBe(0)
  }, 180_000)
})
