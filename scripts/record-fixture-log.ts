/**
 * Records a fixture ledger with the code of ANOTHER checkout (an older commit), through its public
 * commands: the CLI's `sample`, `close-year` and `open-next-year`, and every other command type over
 * its HTTP API. Then writes the SQLite file as it is (its schema statements, and every event row
 * with its payload and metadata as the exact stored text) to a JSON file, so a test can rebuild the
 * very same file byte for byte and read it with today's code; beside them, the eleven 预算 tables of
 * both years as that code printed them (`table N --format json`).
 *
 *   git archive 550e728 | tar -x -C /tmp/v1-ledger && ln -s "$PWD/node_modules" /tmp/v1-ledger/
 *   npx tsx scripts/record-fixture-log.ts --checkout /tmp/v1-ledger --out test/fixtures/ledger-v1.json --note "…"
 *
 * The recording times are the machine's clock: the fixture keeps them as they were stored.
 */
import Database from 'better-sqlite3'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`)
  return process.argv[i + 1]!
}
const checkout = arg('checkout')
const out = arg('out')
const note = arg('note')
const withRecovery = process.argv.includes('--with-recovery')

const dir = mkdtempSync(join(tmpdir(), 'fixture-log-'))
const db = join(dir, 'ledger.db')
const TOKEN = 'fixture-finance-token-0123456789abcdef'
const env = { ...process.env, LEDGER_DB: db, LEDGER_TOKENS: JSON.stringify([{ token: TOKEN, name: 'fixture', role: 'finance' }]), LEDGER_ACTOR: 'cli:fixture', PORT: '0', LEDGER_USERS_FILE: join(dir, 'users.json') }
const cliOf = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(checkout, 'src/cli/main.ts'), '--db', db, ...args], { cwd: checkout, env, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`budget-ledger ${args.join(' ')}: ${r.stderr}${r.stdout}`)
  return r.stdout
}

const startServer = (): Promise<{ base: string; stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(checkout, 'src/http/server/main.ts')], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      text += t
      const m = /listening on (http:\/\/\S+)/.exec(text)
      if (m) resolve({ base: m[1]!, stop: () => child.kill('SIGTERM') })
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${text}`)))
  })

const main = async () => {
  cliOf('sample')
  const server = await startServer()
  const post = async (year: number, type: string, data: unknown, effectiveDate: string, document = `工信〔${year}〕${type.length}号`) => {
    const res = await fetch(`${server.base}/api/units/101065/years/${year}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type, data, reason: `fixture: ${type}`, document, effectiveDate }),
    })
    const body = (await res.json()) as { events?: Array<{ id: string }> }
    if (res.status >= 300) throw new Error(`${type}: ${res.status} ${JSON.stringify(body)}`)
    return body
  }
  try {
    await post(2021, 'AddToLine', { line: 'p01', amount: '50000.00', category: 'ordinary' }, '2021-03-02')
    await post(2021, 'ReduceLine', { line: 'p03', amount: '1000.00', category: 'nationalPolicy' }, '2021-03-03')
    await post(2021, 'TransferBetweenLines', { from: 'p02', to: 'basic', amount: '20000.00', category: 'ordinary' }, '2021-03-04')
    await post(2021, 'RecordExpenditure', { line: 'basic', amount: '150000.00', economicCode: '30101', voucher: '记-2021-001', threePublic: null, procurement: null }, '2021-04-01')
    await post(2021, 'RecordExpenditure', { line: 'p01', amount: '3000.00', economicCode: '30217', voucher: '记-2021-002', threePublic: 'reception', procurement: null }, '2021-04-02')
    await post(2021, 'RecordExpenditure', { line: 'p01', amount: '120000.00', economicCode: '30201', voucher: '记-2021-003', threePublic: null, procurement: 'goods' }, '2021-05-06')
    const wrong = await post(2021, 'RecordExpenditure', { line: 'p05', amount: '7000.00', economicCode: '31204', voucher: '记-2021-004', threePublic: null, procurement: null }, '2021-05-07')
    await post(2021, 'ReverseEvent', { event: wrong.events![0]!.id }, '2021-05-08')
    await post(2021, 'RecordExpenditure', { line: 'p05', amount: '7000000.00', economicCode: '31204', voucher: '记-2021-005', threePublic: null, procurement: null }, '2021-06-01')
    await post(2021, 'SetEarmark', { earmark: 'procurement.goods', amount: '150000.00' }, '2021-03-05')
    await post(2021, 'DeclareSpecialFunds', { line: 'p04', amount: '532700.00' }, '2021-03-06')
    await post(2021, 'DetailSpecialFunds', { line: 'p04', recipient: '西工区', amount: '200000.00' }, '2021-03-07')
    await post(2021, 'RecordExpenditure', { line: 'p04', amount: '532700.00', economicCode: '31204', voucher: '记-2021-006', threePublic: null, procurement: null }, '2021-07-01')
    await post(2021, 'SetProjectTargets', { line: 'p01', targets: [{ category: 'output', name: '全年开展安全生产指导、检查次数', operator: '≥', value: '12', unit: '次' }] }, '2021-03-08')
    await post(2021, 'RecordTargetActual', { line: 'p01', target: '全年开展安全生产指导、检查次数', actual: '14' }, '2021-12-20')
    await post(2021, 'ScheduleEvaluation', { line: 'p04' }, '2021-09-01')
    await post(2021, 'CompleteReview', { line: 'p04', review: 'selfEvaluation', recommendations: [{ id: '2021-S-p04-1', text: '加快资金拨付进度' }] }, '2021-12-01')
    await post(2021, 'AdoptRecommendation', { recommendation: '2021-S-p04-1' }, '2021-12-10')
  } finally {
    server.stop()
  }
  await new Promise((r) => setTimeout(r, 1500))
  const close = ['close-year', '--unit', '101065', '--year', '2021', '--carry', 'p01=100000.00', '--carry', 'p06=all', '--reason', 'fixture: 年终结账', '--document', '工信〔2021〕99号', '--date', '2021-12-31']
  if (withRecovery) close.push('--recover', 'p02=all', '--recovery-notice', '洛财预〔2021〕12号')
  cliOf(...close)
  cliOf('open-next-year', '--unit', '101065', '--year', '2021', '--reason', 'fixture: 上年结转', '--document', '工信〔2022〕1号', '--date', '2022-01-01')
  cliOf('spend', '--unit', '101065', '--year', '2022', '--line', 'cf-p01', '--amount', '40000.00', '--economic-code', '30201', '--voucher', '记-2022-001', '--reason', 'fixture: 结转支出', '--document', '工信〔2022〕2号', '--date', '2022-02-01')

  // What that code printed of each 预算 table, for the test to compare today's rendering with.
  const expected: Record<string, unknown[]> = {}
  for (const year of ['2021', '2022'])
    expected[year] = Array.from({ length: 11 }, (_, i) => JSON.parse(cliOf('table', String(i + 1), '--unit', '101065', '--year', year, '--format', 'json')))
  const file = new Database(db, { readonly: true })
  const schema = (file.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all() as string[])
  const rows = file.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events ORDER BY position').all()
  file.close()
  writeFileSync(out, `${JSON.stringify({ recorded: note, schema, rows, expected }, null, 1)}\n`)
  rmSync(dir, { recursive: true, force: true })
  process.stdout.write(`wrote ${rows.length} events to ${out}\n`)
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
