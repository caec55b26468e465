import Decimal from 'decimal.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CITY_YEAR, seedCity, unitCode } from '../../../scripts/bench/ledgers/city'
import { type Spawned, TOKEN_ENTRIES, send, spawnServer, stopServer } from '../../support/shells/http'

/**
 * Two servers on one SQLite file holding more unit-years than a process keeps folded (256, the
 * LRU of snapshots.ts): what one records, the other reads at once, whether it still holds that
 * unit-year folded or had to let it go; no command is lost between them.
 */
describe('two servers on one SQLite file of 300 unit-years', () => {
  const UNITS = 300
  let dir: string
  let a: Spawned
  let b: Spawned
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-city-'))
    const db = join(dir, 'city.db')
    await seedCity(db, UNITS, 40)
    const env = { LEDGER_DB: db, LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES) }
    a = await spawnServer(dir, env)
    b = await spawnServer(dir, env)
  }, 120_000)
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopServer))
    rmSync(dir, { recursive: true, force: true })
  })

  const path = (u: number) => `/api/units/${unitCode(u)}/years/${CITY_YEAR}`
  const add = (amount: string) => ({ type: 'AddToLine', data: { line: 'p1', amount, category: 'ordinary' }, reason: '追加测试', document: '测试〔2021〕2号', effectiveDate: '2021-12-01' })
  const lineP1 = async (s: Spawned, u: number) => {
    const r = await send(s.url, 'GET', path(u), { token: 'auditor' })
    expect(r.status).toBe(200)
    return { revision: r.body.revision as number, added: r.body.lines.find((l: { line: string }) => l.line === 'p1').added as string }
  }

  it('given B has read every unit-year (the first ones no longer held folded), when A records on a unit-year B let go and on one B still holds, then B reads both writes at once', async () => {
    const before = new Map<number, Awaited<ReturnType<typeof lineP1>>>()
    for (let u = 0; u < UNITS; u++) before.set(u, await lineP1(b, u))
    for (const u of [0, UNITS - 1]) {
      const r = await send(a.url, 'POST', `${path(u)}/commands`, { token: 'finance', body: add('7.00') })
      expect(r.status).toBe(201)
      const seen = await lineP1(b, u)
      expect(seen.revision).toBe(before.get(u)!.revision + 1)
      expect(seen.added).toBe(new Decimal(before.get(u)!.added).plus('7.00').toFixed(2))
    }
  })

  it('given clients spread over both servers recording on 40 unit-years at once, then every command is in the log once and both servers read the same sums', async () => {
    const units = Array.from({ length: 40 }, (_, i) => (i * 7 + 3) % UNITS)
    const before = await Promise.all(units.map((u) => lineP1(a, u)))
    const replies = await Promise.all(
      units.flatMap((u, i) => Array.from({ length: 3 }, (_, k) => send((i + k) % 2 ? a.url : b.url, 'POST', `${path(u)}/commands`, { token: 'finance', body: add('0.01') }))),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(units.length * 3).fill(201))
    for (const s of [a, b])
      expect(await Promise.all(units.map((u) => lineP1(s, u)))).toEqual(before.map((x) => ({ revision: x.revision + 3, added: new Decimal(x.added).plus('0.03').toFixed(2) })))
  })
})
