import * as E from 'fp-ts/Either'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest'
import { Command, type CommandContext } from '../../../src/domain/events/commands'
import { ledgerDeps } from '../../../src/ledger/deps'
import { recordCommands } from '../../../src/ledger/recording/record'
import type { NewEvent, RecordedEvent } from '../../../src/store/envelope'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { type MigrateProgress, MigrationRefused, migrate } from '../../../src/store/backup/migrate'
import { type EventStore, StoreUnavailable } from '../../../src/store/port'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { startTestEventStore, type TestEventStore } from '../../esdb/server'
import { cli, ledger } from '../../support/shells/cli'
import { expectConsistentLedger } from '../../support/ledgers/consistent-ledger'
import { allocate, openYear } from '../../support/years/given'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * `budget-ledger migrate`: SQLite → EventStoreDB (the in-process test server, through the real
 * client) → SQLite gives the identical log; an interrupted migration resumes; a target holding
 * other events is refused. Real SQLite files in temp dirs, no mocks.
 */

const SAMPLE_STREAM = 'budget-101065-2021'
const SECOND = { unit: '900001', year: 2022 } as const
const SECOND_STREAM = 'budget-900001-2022'
const actor = { name: 'migrate-test', role: 'finance' }

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const sqlite = () => {
  const db = tempDb('ledger-migrate-')
  const store = new SqliteEventStore(db.path)
  cleanups.push(async () => {
    await store.close()
    db.remove()
  })
  return { store, path: db.path, url: `sqlite:${db.path}` }
}

const esdb = async (options: { batchAppend?: boolean } = {}) => {
  const server = await startTestEventStore({ batchAppend: options.batchAppend ?? true })
  const store = new EventStoreDbStore(server.connectionString)
  cleanups.push(async () => {
    await store.close()
    await server.stop()
  })
  return { server, store, url: server.connectionString }
}

const ok = async <A>(p: Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await p
  if (E.isLeft(r)) throw new Error(`recording failed: ${JSON.stringify(r.left)}`)
  return r.right
}

/** A command as a client would send it, checked by the domain codec. */
const cmd = (body: unknown): Command => {
  const decoded = Command.decode(body)
  if (E.isLeft(decoded)) throw new Error(`not a command: ${JSON.stringify(body)}`)
  return decoded.right
}

const context = (reason: string, effectiveDate: string, document: string | null = null): CommandContext => ({ reason, document, effectiveDate })

/**
 * A realistic log: the bundled sample (through the CLI), then a second unit-year recorded through
 * src/ledger/recording/record.ts with adjustments, spending and a reversal, interleaved with changes to the
 * sample's year, so the global order alternates between the two streams.
 */
const realisticLedger = async (path: string, store: EventStore) => {
  expect((await cli(['--db', path, 'sample'])).code).toBe(0)
  const deps = ledgerDeps(store)
  const sample = { unit: '101065', year: 2021 }
  const doc = (n: number) => `测试财〔2022〕${n}号`
  await ok(
    recordCommands(
      deps,
      SECOND,
      [
        openYear(SECOND.unit, SECOND.year),
        allocate('basic', '300000.00', { kind: 'basic', basicCategory: 'personnel', functionCode: '215' }),
        allocate('p01', '500000.00'),
        allocate('p02', '200000.00', { functionCode: '2060499' }),
      ],
      context('2022年年初预算', '2022-01-10', doc(1)),
      actor,
    ),
  )
  await ok(recordCommands(deps, sample, [cmd({ type: 'AddToLine', data: { line: 'p01', amount: '12000.00', category: 'ordinary' } })], context('追加', '2021-06-01', doc(2)), actor))
  await ok(recordCommands(deps, SECOND, [cmd({ type: 'AddToLine', data: { line: 'p01', amount: '25000.00', category: 'ordinary' } })], context('追加项目经费', '2022-03-01', doc(3)), actor))
  await ok(recordCommands(deps, SECOND, [cmd({ type: 'ReduceLine', data: { line: 'p02', amount: '10000.00', category: 'nationalPolicy' } })], context('政策性追减', '2022-03-15', doc(4)), actor))
  await ok(
    recordCommands(deps, SECOND, [cmd({ type: 'TransferBetweenLines', data: { from: 'p01', to: 'p02', amount: '5000.50', category: 'ordinary' } })], context('调剂', '2022-04-01', doc(5)), actor),
  )
  const spent = await ok(
    recordCommands(
      deps,
      SECOND,
      [cmd({ type: 'RecordExpenditure', data: { line: 'p01', amount: '8800.25', economicCode: '30217', voucher: '记-2022-0042', threePublic: null, procurement: null } })],
      context('支付会议费', '2022-04-20'),
      actor,
    ),
  )
  await ok(recordCommands(deps, sample, [cmd({ type: 'ReduceLine', data: { line: 'p02', amount: '3000.00', category: 'ordinary' } })], context('追减', '2021-07-01', doc(6)), actor))
  await ok(recordCommands(deps, SECOND, [cmd({ type: 'ReverseEvent', data: { event: spent.events[0]!.id } })], context('凭证录错，冲销', '2022-04-21'), actor))
  await ok(
    recordCommands(
      deps,
      SECOND,
      [cmd({ type: 'RecordExpenditure', data: { line: 'p01', amount: '8800.52', economicCode: '30217', voucher: '记-2022-0043', threePublic: null, procurement: null } })],
      context('支付会议费（更正）', '2022-04-21'),
      actor,
    ),
  )
  await ok(
    recordCommands(
      deps,
      sample,
      [cmd({ type: 'RecordExpenditure', data: { line: 'basic', amount: '1500.00', economicCode: null, voucher: '记-2021-0007', threePublic: null, procurement: null } })],
      context('支出', '2021-08-01'),
      actor,
    ),
  )
}

/** What a faithful copy keeps: everything but the store's own positions. */
const portable = (e: RecordedEvent) => ({ id: e.id, stream: e.stream, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata })

const expectIdenticalLogs = async (a: EventStore, b: EventStore) => {
  const left = await a.readAll()
  const right = await b.readAll()
  expect(right.length).toBe(left.length)
  left.forEach((e, i) => {
    const r = right[i]!
    // Field by field, so a failure names the field.
    expect(r.id, `event ${i} id`).toBe(e.id)
    expect(r.stream, `event ${i} stream`).toBe(e.stream)
    expect(r.revision, `event ${i} revision`).toBe(e.revision)
    expect(r.type, `event ${i} type`).toBe(e.type)
    expect(r.data, `event ${i} data`).toEqual(e.data)
    expect(r.metadata, `event ${i} metadata`).toEqual(e.metadata)
    expect(r.metadata.hash, `event ${i} hash`).toBe(e.metadata.hash)
    expect(r.metadata.prevHash, `event ${i} prevHash`).toBe(e.metadata.prevHash)
  })
  // Global order is kept: positions increase in both.
  for (const log of [left, right]) for (let i = 1; i < log.length; i++) expect(log[i]!.position).toBeGreaterThan(log[i - 1]!.position)
  return left
}

const expectIntactChains = async (store: EventStore) => {
  const streams = await store.listStreams('')
  expect(streams.length).toBeGreaterThan(0)
  for (const s of streams) expect(verifyStream(await store.readStream(s)), s).toBeUndefined()
}

describe('migrate: SQLite → EventStoreDB → SQLite', () => {
  it('gives the identical log: ids, order, data, metadata and hashes, every chain intact, the ledger consistent', async () => {
    const first = sqlite()
    await realisticLedger(first.path, first.store)
    const middle = await esdb()
    const last = sqlite()
    const streams = await first.store.listStreams('')
    expect(streams).toEqual([SAMPLE_STREAM, SECOND_STREAM])
    const total = (await first.store.readAll()).length

    const there = await ledger(['migrate', '--from', first.url, '--to', middle.url])
    expect(there.stderr).toContain(`migrate: ${total}/${total} events (100%)`)
    expect(there.code).toBe(0)
    expect(there.stdout).toMatch(new RegExp(`events in source\\s+${total}\\n`))
    expect(there.stdout).toMatch(new RegExp(`copied\\s+${total}\\n`))
    expect(there.stdout).toMatch(/already in target\s+0\n/)
    expect(there.stdout).toMatch(new RegExp(`^from\\s+SQLite ${first.path}\\n`))
    expect(there.stdout).toContain(`EventStoreDB ${middle.url}\n`)

    const back = await ledger(['migrate', '--from', middle.url, '--to', last.url, '--json'])
    expect(back.code).toBe(0)
    const summary = JSON.parse(back.stdout)
    expect(summary).toMatchObject({ verified: true, total, copied: total, alreadyThere: 0, targetEvents: total, otherTargetEvents: 0, sourceGrew: false })
    expect(summary.streams.map((s: { stream: string }) => s.stream)).toEqual(streams)

    const log = await expectIdenticalLogs(first.store, last.store)
    await expectIdenticalLogs(first.store, middle.store)
    expect(new Set(log.map((e) => e.type))).toEqual(
      new Set(['BudgetYearOpened', 'LineAllocated', 'BudgetAdded', 'BudgetReduced', 'BudgetTransferred', 'ExpenditureRecorded', 'EventReversed', 'EarmarkSet', 'UnitTargetsSet', 'ProjectTargetsSet']),
    )
    // The two streams interleave in the global order, and the copies keep that order.
    const order = log.map((e) => e.stream)
    expect(order.lastIndexOf(SAMPLE_STREAM)).toBeGreaterThan(order.indexOf(SECOND_STREAM))
    for (const store of [first.store, middle.store, last.store]) await expectIntactChains(store)
    for (const store of [middle.store, last.store]) await expectConsistentLedger(store, '101065', 2021)

    // The tables read from the final copy equal the original's.
    for (const n of ['1', '3', '5', '7']) {
      for (const [unit, year] of [['101065', '2021'], [SECOND.unit, String(SECOND.year)]] as const) {
        const a = await cli(['--db', first.path, 'table', n, '--unit', unit, '--year', year, '--format', 'json'])
        const b = await cli(['--db', last.path, 'table', n, '--unit', unit, '--year', year, '--format', 'json'])
        expect(a.code).toBe(0)
        expect(b.stdout).toBe(a.stdout)
      }
    }
  })

  it('re-running a finished migration copies nothing and says everything was already there', async () => {
    const source = sqlite()
    await realisticLedger(source.path, source.store)
    const target = await esdb()
    const total = (await source.store.readAll()).length
    expect((await ledger(['migrate', '--from', source.url, '--to', target.url, '--quiet'])).code).toBe(0)
    const again = await ledger(['migrate', '--from', source.url, '--to', target.url, '--json', '--quiet'])
    expect(again.code).toBe(0)
    expect(again.stderr).toBe('')
    expect(JSON.parse(again.stdout)).toMatchObject({ total, copied: 0, alreadyThere: total, targetEvents: total })
    await expectIdenticalLogs(source.store, target.store)
  })
})

describe('migrate: an interrupted migration resumes', () => {
  /** Stops a migration once `after` source events have been handled (copied or found). */
  const interruptAfter = (after: number) => {
    const seen: MigrateProgress[] = []
    return {
      seen,
      onProgress: (p: MigrateProgress) => {
        seen.push(p)
        if (p.phase === 'copy' && p.processed >= after) throw new Error(`interrupted after ${p.processed} events`)
      },
    }
  }

  it.each([
    { from: 'sqlite', to: 'esdb', stopAfter: 1 },
    { from: 'sqlite', to: 'esdb', stopAfter: 30 },
    { from: 'sqlite', to: 'esdb', stopAfter: 40 },
    { from: 'esdb', to: 'sqlite', stopAfter: 45 },
  ] as const)('given a $from → $to migration stopped after ~$stopAfter events, when run again, then the target is complete and identical, without duplicates', async ({ from, to, stopAfter }) => {
    const original = sqlite()
    await realisticLedger(original.path, original.store)
    let source: { store: EventStore; url: string } = original
    if (from === 'esdb') {
      source = await esdb()
      expect((await ledger(['migrate', '--from', original.url, '--to', source.url, '--quiet'])).code).toBe(0)
    }
    const target = to === 'esdb' ? await esdb() : sqlite()
    const total = (await source.store.readAll()).length

    // Small batches, so the stop falls inside a stream and inside a page.
    const stop = interruptAfter(stopAfter)
    await expect(migrate(source.store, target.store, { maxBatchEvents: 7, pageSize: 11, onProgress: stop.onProgress })).rejects.toThrow(/^interrupted after/)
    const partial = await target.store.readAll()
    expect(partial.length).toBeGreaterThanOrEqual(stopAfter)
    expect(partial.length).toBeLessThan(total)
    const lastSeen = stop.seen.at(-1)!
    expect(lastSeen.phase === 'copy' && lastSeen.processed).toBe(partial.length)

    const resumed = await ledger(['migrate', '--from', source.url, '--to', target.url, '--json', '--batch-size', '5', '--page-size', '13'])
    expect(resumed.stderr).toMatch(/already there/)
    expect(resumed.code).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ total, copied: total - partial.length, alreadyThere: partial.length, targetEvents: total })

    const copy = await expectIdenticalLogs(original.store, target.store)
    expect(new Set(copy.map((e) => e.id)).size).toBe(total)
    await expectIntactChains(target.store)
    await expectConsistentLedger(target.store, '101065', 2021)
  })
})

describe('migrate: a connection dropped during the copy', () => {
  it.each([
    { method: 'Streams.Append', batchAppend: false },
    { method: 'Streams.BatchAppend', batchAppend: true },
  ])('given EventStoreDB ($method) stored a batch but the connection dropped before it answered, when run again, then that batch counts as already there and the copy completes', async ({ batchAppend }) => {
    const source = sqlite()
    await realisticLedger(source.path, source.store)
    const total = (await source.store.readAll()).length
    let appends = 0
    // The third append is committed, then every connection drops before the answer leaves.
    const server: TestEventStore = await startTestEventStore({
      batchAppend,
      hooks: { beforeRespond: async () => void (++appends === 3 && (await server.dropConnections())) },
    })
    const target = new EventStoreDbStore(server.connectionString)
    cleanups.push(async () => {
      await target.close()
      await server.stop()
    })

    await expect(migrate(source.store, target, { maxBatchEvents: 5 })).rejects.toBeInstanceOf(StoreUnavailable)
    expect(server.log.events.filter((e) => !e.stream.startsWith('$'))).toHaveLength(15)

    const resumed = await ledger(['migrate', '--from', source.url, '--to', server.connectionString, '--json', '--batch-size', '5'])
    expect(resumed.code).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ total, copied: total - 15, alreadyThere: 15, targetEvents: total })
    await expectIdenticalLogs(source.store, target)
    await expectIntactChains(target)
  })

  it('given no EventStoreDB listening, then the command names the server and says a re-run resumes', async () => {
    const source = sqlite()
    expect((await cli(['--db', source.path, 'sample'])).code).toBe(0)
    const gone = await startTestEventStore()
    await gone.stop()
    const r = await ledger(['migrate', '--from', source.url, '--to', gone.connectionString, '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`budget-ledger: migrate: EventStoreDB at 127.0.0.1:${gone.port} is unreachable`)
    expect(r.stderr).toContain('run the same migrate again to resume')
  })
})

describe('migrate: a target holding other events is refused, never overwritten', () => {
  const snapshot = async (store: EventStore) => (await store.readAll()).map(portable)

  it('given a target with another ledger in the same stream, then migrate refuses naming the stream, revision and both events, and writes nothing', async () => {
    const source = sqlite()
    await realisticLedger(source.path, source.store)
    const target = sqlite()
    // The same budget imported separately: same stream, same content, other ids and times.
    expect((await cli(['--db', target.path, 'sample'])).code).toBe(0)
    const before = await snapshot(target.store)
    const sourceHead = (await source.store.readStream(SAMPLE_STREAM))[before.length - 1]!
    const targetHead = before.at(-1)!

    const r = await ledger(['migrate', '--from', source.url, '--to', target.url])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`budget-ledger: migrate: the target holds a different event at ${SAMPLE_STREAM} revision ${targetHead.revision}`)
    expect(r.stderr).toContain(`id ${targetHead.id}`)
    expect(r.stderr).toContain(`id ${sourceHead.id}`)
    expect(r.stderr).toContain('never overwrites')
    const refused = await migrate(source.store, target.store).then(() => undefined, (e: unknown) => e)
    expect(refused).toBeInstanceOf(MigrationRefused)
    expect((refused as MigrationRefused).problem).toBe('target-diverged')
    expect(await snapshot(target.store)).toEqual(before)
  })

  it('given an interrupted migration whose target was altered since, then the resumed copy stops at the altered event', async () => {
    const source = sqlite()
    await realisticLedger(source.path, source.store)
    const target = sqlite()
    await expect(
      migrate(source.store, target.store, {
        maxBatchEvents: 10,
        onProgress: (p) => {
          if (p.phase === 'copy' && p.processed >= 20) throw new Error('interrupted')
        },
      }),
    ).rejects.toThrow('interrupted')
    // Alter a copied event in place, keeping its hash fields: its head still matches the source.
    const victim = (await target.store.readStream(SAMPLE_STREAM))[5]!
    const db = target.store.database
    db.exec('DROP TRIGGER events_append_only_update')
    db.prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify({ ...(victim.data as object), extra: 'altered' }), victim.id)
    const before = await snapshot(target.store)

    const r = await ledger(['migrate', '--from', source.url, '--to', target.url, '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the target holds a different event at ${SAMPLE_STREAM} revision 5`)
    expect(r.stderr).toContain(`id ${victim.id}`)
    expect(r.stderr).toContain('0 event(s) were copied in this run')
    expect(await snapshot(target.store)).toEqual(before)
  })

  it('given a target that went on recording after a migration, then migrate refuses: the target has events the source does not', async () => {
    const source = sqlite()
    await realisticLedger(source.path, source.store)
    const target = await esdb()
    expect((await ledger(['migrate', '--from', source.url, '--to', target.url, '--quiet'])).code).toBe(0)
    await ok(
      recordCommands(
        ledgerDeps(target.store),
        SECOND,
        [cmd({ type: 'AddToLine', data: { line: 'p02', amount: '1.00', category: 'ordinary' } })],
        context('在新存储上追加', '2022-05-01', '测试财〔2022〕9号'),
        actor,
      ),
    )
    const count = (await source.store.readStream(SECOND_STREAM)).length
    const before = await snapshot(target.store)
    const r = await ledger(['migrate', '--from', source.url, '--to', target.url])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the target's stream ${SECOND_STREAM} has ${count + 1} events, the source's only ${count}`)
    await expect(migrate(source.store, target.store)).rejects.toMatchObject({ name: 'MigrationRefused', problem: 'target-ahead' })
    expect(await snapshot(target.store)).toEqual(before)
  })

  it('given a source whose hash chain is broken, then nothing is copied and the broken event is named', async () => {
    const source = sqlite()
    expect((await cli(['--db', source.path, 'sample'])).code).toBe(0)
    const victim = (await source.store.readStream(SAMPLE_STREAM))[3]!
    // Tamper drill: lift the append-only trigger for one edit, as an attacker with file access could.
    const db = source.store.database
    db.exec('DROP TRIGGER events_append_only_update')
    db.prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify({ ...(victim.data as object), amount: '1.00' }), victim.id)
    const target = await esdb()
    const r = await ledger(['migrate', '--from', source.url, '--to', target.url])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the source's hash chain is broken at ${SAMPLE_STREAM} revision 3 (${victim.type}, id ${victim.id})`)
    expect(await target.store.readAll()).toEqual([])
  })
})

describe('migrate: appends fit EventStoreDB’s limits', () => {
  it('splits a stream into appends of at most 500 events and 512 KiB, in order', async () => {
    const source = sqlite()
    const mk = (type: string, data: unknown): NewEvent => ({
      id: randomUUID(),
      type,
      data,
      metadata: { recordedAt: '2021-03-01T08:00:00.000Z', effectiveDate: '2021-03-01', actor: 't', role: 'finance', reason: 'bulk', document: null },
    })
    const small = Array.from({ length: 1200 }, (_, i) => mk('Small', { i }))
    for (let i = 0; i < small.length; i += 400) await source.store.append('budget-many-2021', small.slice(i, i + 400), i === 0 ? 'no_stream' : i - 1)
    // Six events of ~300 KiB: two together already pass 512 KiB, all six pass EventStoreDB's 1 MiB.
    const big = Array.from({ length: 6 }, (_, i) => mk('Big', { i, text: '预'.repeat(100_000) }))
    await source.store.append('budget-big-2021', big, 'no_stream')

    const batches: Array<{ stream: string; events: number }> = []
    const server = await startTestEventStore({ hooks: { beforeCommit: (stream, events) => void batches.push({ stream, events }) } })
    const target = new EventStoreDbStore(server.connectionString)
    cleanups.push(async () => {
      await target.close()
      await server.stop()
    })

    const summary = await migrate(source.store, target)
    expect(summary).toMatchObject({ total: 1206, copied: 1206, targetEvents: 1206 })
    expect(batches.filter((b) => b.stream === 'budget-many-2021').map((b) => b.events)).toEqual([500, 500, 200])
    expect(batches.filter((b) => b.stream === 'budget-big-2021').map((b) => b.events)).toEqual([1, 1, 1, 1, 1, 1])
    await expectIdenticalLogs(source.store, target)
  })
})

describe('migrate: the command line', () => {
  let server: TestEventStore
  beforeAll(async () => {
    server = await startTestEventStore()
  })
  afterAll(async () => {
    await server.stop()
  })

  it('refuses bad store URLs, a missing source file and the same store twice, with usage exit codes', async () => {
    const a = sqlite()
    const cases: Array<[string[], number, RegExp]> = [
      [['migrate', '--to', a.url], 2, /--from: missing; expected sqlite:PATH or esdb:\/\/host:2113\?tls=false/],
      [['migrate', '--from', a.url, '--to', 'postgres://x'], 2, /--to: expected sqlite:PATH or esdb:\/\/host:2113\?tls=false, got "postgres:\/\/x"/],
      [['migrate', '--from', 'sqlite:/nonexistent/dir/ledger.db', '--to', server.connectionString], 1, /--from: no ledger at \/nonexistent\/dir\/ledger\.db \(nothing was created\)/],
      [['migrate', '--from', a.url, '--to', `sqlite:${a.path}/../ledger.db`], 2, /--from and --to name the same store/],
      [['migrate', '--from', a.url, '--to', server.connectionString, '--batch-size', '0'], 2, /--batch-size: expected a whole number from 1, got "0"/],
    ]
    for (const [argv, code, message] of cases) {
      const r = await cli(argv)
      expect(r.stderr, argv.join(' ')).toMatch(message)
      expect(r.code, argv.join(' ')).toBe(code)
    }
  })

  it('migrates an empty store into an empty one, and says so', async () => {
    const a = sqlite()
    const b = sqlite()
    const r = await ledger(['migrate', '--from', a.url, '--to', b.url])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/streams\s+0\n/)
    expect(r.stdout).toMatch(/events in source\s+0\n/)
  })
})
