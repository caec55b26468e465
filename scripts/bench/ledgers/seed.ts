/**
 * The synthetic unit-year every benchmark reads (docs/audit.md, "Speed"): N events valid by
 * construction (budgets far above any spending), written straight into a SQLite file with a valid
 * hash chain; the Merkle tree's leaves are added by the store when it next opens the file. The
 * same seed builds the same ledger.
 */
import { performance } from 'node:perf_hooks'
import type { NewEvent } from '../../../src/store/envelope'
import { chain } from '../../../src/store/chain/hash-chain'
import type { SqliteEventStore } from '../../../src/store/sqlite/sqlite'

/** A small deterministic PRNG (mulberry32): the same seed builds the same ledger. */
export const prng = (seed: number) => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const UNIT = '990001'
export const YEAR = 2021
export const STREAM = `budget-${UNIT}-${YEAR}`
const FUNCTIONS = ['2010101', '20113', '2011308', '2060499', '206', '2150502', '21505', '2080501', '2210201', '2240299']
const LINE_COUNT = 40
export const YEAR_START = Date.parse('2021-01-01T00:00:00.000Z')
export const YEAR_SPAN = Date.parse('2021-12-31T00:00:00.000Z') - YEAR_START
export const shanghaiDate = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
export const say = (s: string) => process.stderr.write(s)

/** The events, generated in order, valid by construction (budgets far above any spending). */
function* generate(n: number, random: () => number): Generator<NewEvent> {
  let i = 0
  const at = () => YEAR_START + Math.floor((YEAR_SPAN * i) / n)
  const meta = (effective?: string) => {
    const t = at()
    return {
      recordedAt: new Date(t).toISOString(),
      effectiveDate: effective ?? shanghaiDate(t),
      actor: 'bench',
      role: 'finance',
      reason: 'synthetic benchmark event',
      document: random() < 0.3 ? `财预〔2021〕${1 + Math.floor(random() * 999)}号` : null,
      synthetic: true,
    }
  }
  const event = (type: string, data: unknown, effective?: string): NewEvent => ({ id: `bench-${i}`, type, data, metadata: meta(effective) })
  const lines: string[] = []
  const unreversed: string[] = []

  yield event('BudgetYearOpened', { unit: { code: UNIT, name: '基准测试单位' }, year: YEAR, unitType: 'administrative', previousYear: {} }, '2021-01-01')
  i++
  for (let l = 0; l < LINE_COUNT && i < n; l++, i++) {
    const id = l < 4 ? `b${l}` : `p${l}`
    lines.push(id)
    yield event(
      'LineAllocated',
      {
        line: id,
        kind: l < 4 ? 'basic' : 'project',
        basicCategory: l < 4 ? (l % 2 ? 'operating' : 'personnel') : null,
        projectName: l < 4 ? null : `项目${l}`,
        functionCode: FUNCTIONS[l % FUNCTIONS.length],
        economicCode: null,
        fundSource: 'general.appropriation',
        amount: '1000000000.00',
      },
      '2021-01-01',
    )
  }
  const pick = <T>(xs: ReadonlyArray<T>) => xs[Math.floor(random() * xs.length)]!
  const money = (max: number) => `${1 + Math.floor(random() * max)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`
  for (; i < n; i++) {
    const r = random()
    // Now and then a correction dated back up to a month (never before the year's opening).
    const backDated = random() < 0.02 ? shanghaiDate(Math.max(YEAR_START, at() - Math.floor(random() * 30) * 86_400_000)) : undefined
    if (r < 0.7) {
      const threePublic = random() < 0.05 ? pick(['reception', 'abroad', 'vehicleOperation']) : null
      unreversed.push(`bench-${i}`)
      if (unreversed.length > 1000) unreversed.shift()
      yield event('ExpenditureRecorded', { line: pick(lines), amount: money(2000), economicCode: null, voucher: `V${i}`, threePublic, procurement: null }, backDated)
    } else if (r < 0.8) yield event('BudgetAdded', { line: pick(lines), amount: money(5000), category: random() < 0.2 ? 'nationalPolicy' : 'ordinary' }, backDated)
    else if (r < 0.85) yield event('BudgetReduced', { line: pick(lines), amount: money(1000), category: 'ordinary' }, backDated)
    else if (r < 0.9) {
      const from = pick(lines)
      const to = pick(lines.filter((l) => l !== from))
      yield event('BudgetTransferred', { from, to, amount: money(3000), category: 'ordinary' }, backDated)
    } else if (r < 0.95 && unreversed.length > 0) {
      const target = unreversed.splice(Math.floor(random() * unreversed.length), 1)[0]!
      yield event('EventReversed', { event: target })
    } else yield event('EarmarkSet', { earmark: pick(['threePublic.reception', 'threePublic.abroad', 'officeOperating']), amount: money(900000) })
  }
}

const BATCH = 50_000

export const build = (store: SqliteEventStore, n: number, seed: number): number => {
  const db = store.database
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
  let revision = 0
  let head = ''
  let batch: NewEvent[] = []
  const started = performance.now()
  const flush = db.transaction((events: NewEvent[]) => {
    for (const e of chain(STREAM, revision, head, events)) {
      insert.run(e.id, STREAM, revision++, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata))
      head = e.metadata.hash
    }
  })
  for (const e of generate(n, prng(seed))) {
    batch.push(e)
    if (batch.length === BATCH) {
      flush(batch)
      batch = []
      const s = (performance.now() - started) / 1000
      say(`\r  generating: ${revision.toLocaleString('en')} / ${n.toLocaleString('en')} events (${s.toFixed(0)} s)   `)
    }
  }
  if (batch.length) flush(batch)
  say(`\r  generated ${revision.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s              \n`)
  return revision
}

