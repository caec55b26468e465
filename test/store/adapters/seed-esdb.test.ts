import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLES } from '../../../projections'
import { EventStoreDbStore } from '../../../src/store/eventstoredb/eventstoredb'
import { verifyStream } from '../../../src/store/chain/hash-chain'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { startTestEventStore, type TestEventStore } from '../../esdb/server'
import { type Ran, cli, cliProcess } from '../../support/shells/cli'
import { expectConsistentLedger } from '../../support/ledgers/consistent-ledger'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The seed acceptance on EventStoreDB: the 2021 sample loaded with `budget-ledger --store
 * esdb://… sample` into the in-process test server (through the real client), then every table
 * printed by the CLI from EventStoreDB equals the same table from a SQLite ledger, and the
 * ledger is consistent when read from EventStoreDB.
 *
 * The CLI runs as a child process (node -r tsx/cjs src/cli/main.ts, as `npx budget-ledger`
 * would): openStore loads the EventStoreDB adapter with a lazy require(), which vitest's module
 * runner does not serve for TypeScript sources. The SQLite side runs in-process.
 */
const ROOT = resolve(__dirname, '..', '..', '..')
const STREAM = 'budget-101065-2021'

/**
 * Several CLI invocations in one child process: each is `run(argv)` of src/cli/program.ts, the
 * function main.ts calls, with its own store opened and closed; one process spares 30 start-ups.
 */
const cliRuns = async (argvs: string[][]): Promise<Ran[]> => {
  const script = `
    const { run } = require('./src/cli/program.ts')
    const { extensions } = require('./src/cli/extensions.ts')
    ;(async () => {
      const results = []
      for (const argv of JSON.parse(process.argv[1])) {
        let stdout = '', stderr = ''
        const code = await run(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: process.env }, extensions)
        results.push({ code, stdout, stderr })
      }
      process.stdout.write(JSON.stringify(results))
    })()`
  const child = await new Promise<Ran>((done, fail) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp' }
    const p = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script, JSON.stringify(argvs)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
    p.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    p.on('error', fail)
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
  })
  if (child.code !== 0) throw new Error(`the CLI runner failed (${child.code}): ${child.stderr}`)
  return JSON.parse(child.stdout) as Ran[]
}

describe('the 2021 sample on EventStoreDB (test server, real client), through the CLI', () => {
  let server: TestEventStore
  let esdb: EventStoreDbStore
  const db = tempDb('ledger-seed-esdb-')
  let sqlite: SqliteEventStore
  let loaded: Ran

  beforeAll(async () => {
    // As a current server: the client appends through Streams.BatchAppend.
    server = await startTestEventStore({ batchAppend: true })
    loaded = await cliProcess(['--store', server.connectionString, 'sample', '--json'])
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    esdb = new EventStoreDbStore(server.connectionString)
    sqlite = new SqliteEventStore(db.path)
  })
  afterAll(async () => {
    await esdb?.close()
    await sqlite?.close()
    await server?.stop()
    db.remove()
  })

  it('`--store esdb://… sample` records the sample into EventStoreDB, as one atomic batch through the real client', async () => {
    expect(loaded.stderr).toBe('')
    expect(loaded.code).toBe(0)
    const summary = JSON.parse(loaded.stdout)
    const sqliteEvents = await sqlite.readStream(STREAM)
    expect(summary).toMatchObject({ unit: '101065', year: 2021, events: sqliteEvents.length, store: `EventStoreDB ${server.connectionString}` })
    // In the server's own log, not anywhere else.
    expect(server.log.streamEvents(STREAM)).toHaveLength(sqliteEvents.length)
    expect(server.appendCalls.batchAppend).toBeGreaterThan(0)
    const events = await esdb.readStream(STREAM)
    expect(events.map((e) => e.type)).toEqual(sqliteEvents.map((e) => e.type))
    expect(events.map((e) => e.data)).toEqual(sqliteEvents.map((e) => e.data))
    expect(verifyStream(events)).toBeUndefined()
  })

  it.each(['json', 'text', 'csv'])('all eleven tables (--format %s) printed from EventStoreDB equal those from the SQLite ledger', async (format) => {
    const fromEsdb = await cliRuns(TABLES.map((t) => ['--store', server.connectionString, 'table', t.id, '--format', format]))
    for (const [i, t] of TABLES.entries()) {
      const fromSqlite = await cli(['--db', db.path, 'table', t.id, '--format', format])
      expect(fromSqlite.code).toBe(0)
      const r = fromEsdb[i]!
      expect(r.stderr, t.id).toBe('')
      expect(r.code, t.id).toBe(0)
      expect(r.stdout, t.id).toBe(fromSqlite.stdout)
    }
    expect(fromEsdb).toHaveLength(11)
  })

  it('the Part 2 report is the same, with the store chosen by EVENTSTORE_CONNECTION_STRING instead of --store', async () => {
    const r = await cliProcess(['report'], { EVENTSTORE_CONNECTION_STRING: server.connectionString })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe((await cli(['--db', db.path, 'report'])).stdout)
    expect(r.stdout).toContain('904.34')
  })

  it('every table foots and the eleven agree with each other, read from EventStoreDB', async () => {
    const fromEsdb = await expectConsistentLedger(esdb, '101065', 2021)
    const fromSqlite = await expectConsistentLedger(sqlite, '101065', 2021)
    expect(fromEsdb).toEqual(fromSqlite)
  })
})
