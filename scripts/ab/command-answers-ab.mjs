// The same requests to two built servers (e.g. main's and a branch's, each on a fresh file): every command answer (status, headers but Date and X-Request-Id, body) and every stored row compared, with event ids, times and hashes masked (they differ by run). Bad input, If-Match, Idempotency-Key, dry runs, amounts in 万元 and a JSON __proto__ field included.
//   node scripts/ab/command-answers-ab.mjs /work/wt/A,.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
const TOKEN = 'bench-finance-token-0123456789abcdef'
const start = (root) => new Promise((resolve, reject) => {
  const dir = mkdtempSync(join(tmpdir(), 'answers-'))
  const child = spawn(process.execPath, [join(root, 'dist/server.js')], { cwd: dir, env: { ...process.env, PORT: '0', LEDGER_DB: join(dir, 'l.db'), LEDGER_TOKENS: JSON.stringify([{ token: TOKEN, name: 'bench', role: 'finance' }]), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (b) => { out += b; const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out); if (m) resolve({ child, port: Number(m[1]), db: join(dir, 'l.db') }) })
  child.once('exit', (c) => reject(new Error('exit ' + c + out)))
})
const budgetFile = { format: 'budget-ledger/budget-year@1', unit: { code: '900001', name: '测试单位' }, unitType: 'administrative', year: 2021, approvedOn: '2021-03-01', document: '测试〔2021〕1号', source: 'bench', lines: [{ id: 'p01', kind: 'project', projectName: '项目一', functionCode: '2150502', fundSource: 'general.appropriation', amount: '500000.00' }] }
const P = '/api/units/900001/years/2021/commands'
const cmd = (extra = {}) => ({ type: 'AddToLine', data: { line: 'p01', amount: '0.01', category: 'ordinary' }, reason: '压测', document: '测试〔2021〕2号', effectiveDate: '2021-05-01', ...extra })
const reqs = [
  ['POST', '/api/budget-files', budgetFile, {}],
  ['POST', P, cmd(), {}],
  ['POST', P, cmd(), { 'Idempotency-Key': 'k-1' }],
  ['POST', P, cmd(), { 'Idempotency-Key': 'k-1' }],
  ['POST', P, cmd({ data: { line: 'p01', amount: '2.5', category: 'ordinary' } }), { 'Idempotency-Key': 'k-1' }],
  ['POST', P + '?dryRun=true', cmd(), {}],
  ['POST', P + '?dryRun=maybe', cmd(), {}],
  ['POST', P + '?nope=1', cmd(), {}],
  ['POST', P, cmd(), { 'If-Match': '"3"' }],
  ['POST', P, cmd(), { 'If-Match': '"999"' }],
  ['POST', P, cmd(), { 'If-Match': '*' }],
  ['POST', P, cmd(), { 'If-Match': 'W/"3"' }],
  ['POST', P, cmd(), { 'Idempotency-Key': 'bad key with spaces' }],
  ['POST', P, cmd({ data: { line: 'p01', amount: '1.25万元', category: 'ordinary' } }), {}],
  ['POST', P, cmd({ data: { line: 'p01', amount: '1.2345678万元', category: 'ordinary' } }), {}],
  ['POST', P, cmd({ data: { line: 'p01', amount: '0.01', category: 'ordinary', amout: '1' } }), {}],
  ['POST', P, cmd({ effectiveDate: '2021-02-29' }), {}],
  ['POST', P, cmd({ effectiveDate: '2021-0:-01' }), {}],
  ['POST', P, { type: 'ReduceLine', data: { line: 'p01', amount: '99999999.00' }, reason: 'x', document: 'd', effectiveDate: '2021-05-02' }, {}],
  ['POST', P, { type: 'Spend', data: { line: 'p01', amount: '10.00', economicCode: '30201', paidOn: '2021-05-03', category: 'ordinary' }, reason: 'x', document: 'd', effectiveDate: '2021-05-03' }, {}],
  ['POST', P, JSON.parse('{"type":"AddToLine","__proto__":{"x":1},"data":{"line":"p01","amount":"1","category":"ordinary"},"reason":"r","document":"d","effectiveDate":"2021-05-01"}'), {}],
  ['POST', P, cmd({ document: undefined }), {}],
  ['POST', P, 'not json', {}],
  ['GET', '/api/units/900001/years/2021/events?from=0', undefined, {}],
]
const run = async (root) => {
  const s = await start(root)
  const answers = []
  for (const [method, path, body, headers] of reqs) {
    const r = await fetch(`http://127.0.0.1:${s.port}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) })
    const text = await r.text()
    const h = [...r.headers].filter(([k]) => !['date', 'x-request-id'].includes(k))
    answers.push(JSON.stringify({ status: r.status, h, text }).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T').replace(/[0-9a-f]{64}/g, 'H'))
  }
  s.child.kill('SIGTERM'); await new Promise((r) => s.child.once('exit', r))
  const db = new Database(s.db, { readonly: true })
  const rows = db.prepare('SELECT * FROM events ORDER BY position').all().map((r) => JSON.stringify(r).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T').replace(/[0-9a-f]{64}/g, 'H'))
  return { answers, rows }
}
const [rootA, rootB] = (process.argv[2] ?? '').split(',')
if (!rootA || !rootB) throw new Error('usage: node scripts/ab/command-answers-ab.mjs ROOT_A,ROOT_B (built checkouts)')
const a = await run(resolve(rootA)), b = await run(resolve(rootB))
let diff = 0
a.answers.forEach((x, i) => { if (x !== b.answers[i]) { diff++; console.log('ANSWER', i, reqs[i][0], reqs[i][1], '\nA', x.slice(0, 600), '\nB', b.answers[i].slice(0, 600)) } })
console.log('rows', a.rows.length, b.rows.length, a.rows.every((r, i) => r === b.rows[i]) ? 'same' : 'DIFFER')
a.rows.forEach((r, i) => { if (r !== b.rows[i]) { diff++; console.log('ROW', i, '\nA', r.slice(0, 400), '\nB', (b.rows[i] ?? '').slice(0, 400)) } })
console.log(a.answers.map((x) => JSON.parse(x).status).join(' '))
console.log(diff === 0 ? 'ALL SAME' : `${diff} differ`)
