import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FunctionCode } from '../../../src/domain/budget-file/classification'
import { PositiveMoney } from '../../../src/domain/money/money'
import { LineId, UnitCode } from '../../../src/domain/codecs/primitives'
import { COMMAND_TYPES } from '../../../src/ledger/recording/handle-command'
import { type Reply, type TestServer, TOKENS, YEAR_PATH, addBody, fixtureBudgetFile, isProblem, startServer } from '../../support/shells/http'
import { dribble, head, replyOf } from '../../support/shells/raw-http'

/**
 * Hostile input: every answer must be a 4xx problem+json, never a 5xx, and the log must not
 * grow. Runs are bounded so the suite stays fast.
 */
const RUNS = 200
/** Small enough that a slow client is cut within a second; the fast requests here take milliseconds. */
const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 3000, bodyTimeoutMs: 500 }
/** Calendar dates that do not exist. */
const IMPOSSIBLE_DATES = ['2021-13-01', '2021-02-32', '2021-00-10']
/**
 * A budget file that would import as it is, so the one bad field is the reason for a refusal: each
 * for a unit of its own, so that one wrongly accepted cannot make the next refused as a duplicate.
 */
let unitsUsed = 0
const newUnitFile = () => ({ ...fixtureBudgetFile(), unit: { code: String(900100 + ++unitsUsed), name: '模糊单位' } })
/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client would send it). */
const enc = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
const EXISTING_LINES = new Set(['basic', 'p01', 'p02'])

const odd = fc.string({ unit: 'binary', maxLength: 40 })
const anyText = fc.oneof(odd, fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', ' ', '\u0000', '\ud800', '𠜎𠜱', '\u202e', 'ＡＢＣ', '١٢٣', '１２.５０'))

/** Amounts the codec must refuse: huge, negative, zero, non-decimal, not strings at all. */
const badAmount: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.bigInt({ min: 10n ** 15n + 1n, max: 10n ** 40n }).map((n) => `${n}.00`),
    fc.bigInt({ min: 1n, max: 10n ** 20n }).map((n) => `-${n}`),
    fc.constantFrom('0', '0.00', '1e3', '1E+20', 'NaN', 'Infinity', '12,5', '1.234', ' 1.00', '1.00 ', '+1', '01.00', '.5', '1.', '0x10', '１００'),
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 3 }),
    anyText,
  )
  .filter((a) => !PositiveMoney.is(a))

const unknownLine = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), anyText).filter((s) => !EXISTING_LINES.has(s))

const context = fc.record({
  reason: fc.oneof(fc.constant('fuzz'), anyText),
  document: fc.oneof(fc.constant('文〔2021〕1号'), fc.constant(null), anyText),
  effectiveDate: fc.oneof(fc.constant('2021-06-01'), anyText, fc.constantFrom('2021-02-30', '2021-6-1', '2021-06-01T00:00:00Z')),
})

/** Command bodies that are always wrong in at least one way. */
const badCommand: fc.Arbitrary<unknown> = fc.oneof(
  // a bad amount on an otherwise valid money command
  fc.tuple(fc.constantFrom('AddToLine', 'ReduceLine', 'RecordExpenditure', 'TransferBetweenLines'), badAmount, context).map(([type, amount, ctx]) => ({
    type,
    data:
      type === 'TransferBetweenLines'
        ? { from: 'p01', to: 'p02', amount, category: 'ordinary' }
        : type === 'RecordExpenditure'
          ? { line: 'p01', amount, economicCode: null, voucher: 'V-1', threePublic: null, procurement: null }
          : { line: 'p01', amount, category: 'ordinary' },
    ...ctx,
  })),
  // an unknown line
  fc.tuple(fc.constantFrom('AddToLine', 'RecordExpenditure', 'TransferBetweenLines', 'ReverseEvent'), unknownLine, context).map(([type, line, ctx]) => ({
    type,
    data:
      type === 'TransferBetweenLines'
        ? { from: line, to: 'p02', amount: '1.00', category: 'ordinary' }
        : type === 'RecordExpenditure'
          ? { line, amount: '1.00', economicCode: null, voucher: 'V-1', threePublic: null, procurement: null }
          : type === 'ReverseEvent'
            ? { event: line }
            : { line, amount: '1.00', category: 'ordinary' },
    ...ctx,
  })),
  // a new line with a code or a fund source that does not exist
  fc.tuple(fc.oneof(anyText, fc.stringMatching(/^\d{1,9}$/)).filter((c) => !FunctionCode.is(c.replace(/\s+/g, ''))), unknownLine.filter((l) => LineId.is(l)), context).map(([functionCode, line, ctx]) => ({
    type: 'AllocateLine',
    data: { line, kind: 'project', basicCategory: null, projectName: '模糊', functionCode, economicCode: null, fundSource: 'general.appropriation', amount: '1.00' },
    ...ctx,
  })),
  fc.tuple(anyText.filter((s) => !['general.appropriation'].includes(s)), context).map(([fundSource, ctx]) => ({
    type: 'AllocateLine',
    data: { line: 'fuzz-new', kind: 'project', basicCategory: null, projectName: '模糊', functionCode: '2150502', economicCode: null, fundSource, amount: '1.00' },
    ...ctx,
  })),
  // unknown command types and earmarks
  fc.tuple(anyText.filter((s) => !COMMAND_TYPES.includes(s)), context).map(([type, ctx]) => ({ type, data: { line: 'p01', amount: '1.00', category: 'ordinary' }, ...ctx })),
  fc.tuple(anyText, context).map(([earmark, ctx]) => ({ type: 'SetEarmark', data: { earmark, amount: '1.00' }, ...ctx })),
  // a valid command with an unknown field, at the top or in data
  fc.tuple(anyText.filter((k) => !['type', 'data', 'reason', 'document', 'effectiveDate'].includes(k)), fc.jsonValue()).map(([k, v]) => ({ ...addBody(), [k]: v })),
  fc.tuple(anyText.filter((k) => !['line', 'amount', 'category'].includes(k)), fc.jsonValue()).map(([k, v]) => ({ ...addBody(), data: { ...addBody().data, [k]: v } })),
  // wrong types everywhere
  fc.record({ type: fc.oneof(fc.constantFrom(...COMMAND_TYPES), fc.jsonValue()), data: fc.jsonValue(), reason: fc.jsonValue(), document: fc.jsonValue(), effectiveDate: fc.jsonValue() }),
  fc.jsonValue(),
)

describe('HTTP fuzz: hostile input never yields a 5xx and never writes', () => {
  let t: TestServer
  let count: number
  beforeAll(async () => {
    t = await startServer({ fixture: true, limits: LIMITS })
    count = await t.eventCount()
  })
  afterAll(async () => {
    expect(await t.eventCount()).toBe(count)
    expect(t.logged).toEqual([])
    await t.close()
  })

  const expectRefused = async (r: Reply, what: unknown) => {
    if (!(r.status >= 400 && r.status < 500) || !isProblem(r)) throw new Error(`${r.status} ${JSON.stringify(r.body).slice(0, 300)} for ${JSON.stringify(what)?.slice(0, 300)}`)
    expect(await t.eventCount()).toBe(count)
  }

  /**
   * Each of these must be a 4xx problem (naming the field when one is given) and write nothing:
   * collected rather than thrown so one run reports them all, and counted against the log as this
   * test found it, so a case wrongly accepted elsewhere does not fail it.
   */
  const refusals = async (cases: ReadonlyArray<[string, () => Promise<Reply>, string?]>) => {
    const before = await t.eventCount()
    const failures: string[] = []
    for (const [label, call, path] of cases) {
      const r = await call()
      const ok = r.status >= 400 && r.status < 500 && isProblem(r) && (path === undefined || r.body.errors.some((e: { path: string }) => e.path.includes(path)))
      if (!ok) failures.push(`${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
    }
    expect(failures).toEqual([])
    expect(await t.eventCount()).toBe(before)
  }

  it('commands that are wrong in some way: 4xx problem, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(badCommand, async (body) => {
        const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body })
        await expectRefused(r, body)
        if (r.status === 422) for (const e of r.body.errors) expect(typeof e.path === 'string' && typeof e.reason === 'string').toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it('text that is not JSON (or JSON that is not an object): 400 or 422 problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('{', '{"type":', '[1,2', '{"a":1}}', 'null', '1', '"x"', "{'a':1}", '\uFEFF{}', '{"type":"AddToLine",}')), async (raw) => {
        const r = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: raw })
        await expectRefused(r, raw)
      }),
      { numRuns: RUNS },
    )
  })

  it('odd unit codes and years in the address: 404 problem', async () => {
    await fc.assert(
      fc.asyncProperty(anyText.filter((u) => !UnitCode.is(u)), fc.oneof(anyText, fc.constantFrom('2021', '1999', '2101', '99999')), fc.constantFrom('GET', 'POST'), async (unit, year, method) => {
        const path = `/api/units/${enc(unit)}/years/${enc(year)}${method === 'POST' ? '/commands' : ''}`
        const r = await t.request(method, path, { token: 'finance', ...(method === 'POST' ? { body: addBody() } : {}) })
        await expectRefused(r, path)
      }),
      { numRuns: RUNS },
    )
  })

  it('unknown routes and methods: 404 or 405 problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.array(anyText, { minLength: 0, maxLength: 4 }), async (method, segments) => {
        const path = `/api/${segments.map(enc).join('/')}x`
        const r = await t.request(method, path, { token: 'finance', ...(method === 'GET' ? {} : { body: addBody() }) })
        await expectRefused(r, `${method} ${path}`)
      }),
      { numRuns: RUNS },
    )
  })

  it('odd query strings and headers: 400 problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('dryRun=maybe', 'dryRun=true&dryRun=false', 'dryRun[a]=1', 'dryRun='), async (q) => {
        const r = await t.request('POST', `${YEAR_PATH}/commands?${q}`, { token: 'finance', body: addBody() })
        await expectRefused(r, q)
      }),
      { numRuns: 4 },
    )
    for (const q of ['from=-1', 'from=abc', 'limit=0', 'limit=100000', 'limit=1.5']) await expectRefused(await t.request('GET', `${YEAR_PATH}/events?${q}`, { token: 'auditor' }), q)
  })

  it('a body over 1 MB is 413; deeply nested JSON, the wrong content type and a bad %-escape are 4xx problems', async () => {
    const cases: Array<[string, Parameters<TestServer['request']>]> = [
      ['huge', ['POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody(), reason: 'x'.repeat(1_100_000) } }]],
      ['deep data', ['POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: `{"type":"AddToLine","data":${'['.repeat(50_000)}${']'.repeat(50_000)},"reason":"r","effectiveDate":"2021-06-01"}` }]],
      ['deep reason', ['POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: `{"type":"AddToLine","data":{"line":"p01","amount":"1.00","category":"ordinary"},"reason":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)},"effectiveDate":"2021-06-01"}` }]],
      ['text/plain', ['POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: JSON.stringify(addBody()), headers: { 'content-type': 'text/plain' } }]],
      ['no body', ['POST', `${YEAR_PATH}/commands`, { token: 'finance' }]],
      ['charset', ['POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: JSON.stringify(addBody()), headers: { 'content-type': 'application/json; charset=bogus' } }]],
      ['bad escape', ['GET', '/api/units/%E0%A4%A/years/2021', { token: 'finance' }]],
      ['big budget file', ['POST', '/api/budget-files', { token: 'finance', body: { lines: Array.from({ length: 60_000 }, (_, i) => ({ id: `l${i}`, amount: '1.00' })) } }]],
    ]
    for (const [label, args] of cases) {
      const r = await t.request(...args)
      await expectRefused(r, label)
      if (label === 'huge' || label === 'big budget file') expect(r.status).toBe(413)
    }
  })

  it('dates that are not in the calendar, as a command\'s effectiveDate and a budget file\'s approvedOn: 4xx problem naming the field, nothing written', async () => {
    // The same bodies with a real date are accepted: the date is the only thing wrong.
    expect((await t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', body: addBody() })).status).toBe(200)
    await refusals(
      IMPOSSIBLE_DATES.flatMap((date): Array<[string, () => Promise<Reply>, string]> => [
        [`effectiveDate ${date}`, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody(), effectiveDate: date } }), 'effectiveDate'],
        [`effectiveDate ${date}, dry run`, () => t.request('POST', `${YEAR_PATH}/commands?dryRun=true`, { token: 'finance', body: { ...addBody(), effectiveDate: date } }), 'effectiveDate'],
        [`approvedOn ${date}`, () => t.request('POST', '/api/budget-files', { token: 'finance', body: { ...newUnitFile(), approvedOn: date } }), 'approvedOn'],
      ]),
    )
  })

  it('bytes that are not UTF-8 in a body: 4xx problem, nothing written', async () => {
    /** A valid JSON text with `bytes` spliced into the string value of `field`. */
    const spliced = (json: string, field: string, bytes: number[]) => {
      const marker = '\u0001SPLICE\u0001'
      const [before, after] = json.replace(`"${field}":"`, `"${field}":"${marker}`).split(marker) as [string, string]
      return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')])
    }
    const bad: Array<[string, number[]]> = [
      ['ff fe', [0xff, 0xfe]],
      ['a lone continuation byte', [0x80]],
      ['an overlong "/"', [0xc0, 0xaf]],
      ['a surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
      ['a truncated 中', [0xe4, 0xb8]],
      ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ]
    await refusals(
      bad.flatMap(([label, bytes]): Array<[string, () => Promise<Reply>]> => [
        [`reason with ${label}`, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: spliced(JSON.stringify(addBody()), 'reason', bytes) })],
        [`document with ${label}`, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: spliced(JSON.stringify(addBody()), 'document', bytes) })],
        [`budget file document with ${label}`, () => t.request('POST', '/api/budget-files', { token: 'finance', rawBody: spliced(JSON.stringify(newUnitFile()), 'document', bytes) })],
      ]),
    )
  })

  it('NUL and lone surrogates (JSON escapes) in reason and document: 4xx problem naming the field, nothing written', async () => {
    const texts: Array<[string, string]> = [
      ['NUL', '追加\u0000测试'],
      ['a NUL alone', '\u0000'],
      ['a lone high surrogate', '\ud800'],
      ['a lone low surrogate', 'x\udc00y'],
      ['surrogates the wrong way round', '\udc00\ud800'],
    ]
    // JSON.stringify writes a lone surrogate as its \uXXXX escape, as a hostile client would.
    expect(JSON.stringify('\ud800')).toBe('"\\ud800"')
    await refusals(
      texts.flatMap(([label, text]): Array<[string, () => Promise<Reply>, string]> => [
        [`reason: ${label}`, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody(), reason: text } }), 'reason'],
        [`document: ${label}`, () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: { ...addBody(), document: text } }), 'document'],
        [`budget file document: ${label}`, () => t.request('POST', '/api/budget-files', { token: 'finance', body: { ...newUnitFile(), document: text } }), 'document'],
      ]),
    )
  })

  it('large bodies: over 1 MB (declared or streamed in chunks) is 413, a large array under it is 4xx; nothing written', async () => {
    const cases: Array<[string, () => Promise<Reply>]> = [
      ['an array of 300 000 numbers as the command', () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: `[${'0,'.repeat(300_000)}0]` })],
      ['an array of 2 MB as the command', () => t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', rawBody: `[${'0,'.repeat(1_000_000)}0]` })],
      ['5 000 lines with bad amounts in a budget file', () => t.request('POST', '/api/budget-files', { token: 'finance', body: { ...newUnitFile(), lines: Array.from({ length: 5_000 }, (_, i) => ({ ...newUnitFile().lines[1]!, id: `l${i}`, amount: 'x' })) } })],
      ['a document of 1.2 MB in a budget file', () => t.request('POST', '/api/budget-files', { token: 'finance', body: { ...newUnitFile(), document: '文'.repeat(400_000) } })],
    ]
    // Chunked, so no Content-Length announces the size: the limit holds while reading.
    const chunk = `${'0,'.repeat(32_768)}`
    const chunks = Array.from({ length: 20 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`)
    const streamed = () =>
      dribble(
        t.url,
        [head('POST', `${YEAR_PATH}/commands`, { Authorization: `Bearer ${TOKENS.finance}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Connection: 'close' }), '1\r\n[\r\n', ...chunks, '1\r\n0\r\n', '1\r\n]\r\n0\r\n\r\n'],
        { everyMs: 2, deadlineMs: 5000 },
      ).then(replyOf)
    await refusals([...cases, ['a chunked body over 1 MB', streamed]])
    expect((await cases[1]![1]()).status).toBe(413)
    expect((await streamed()).status).toBe(413)
  })

  it('slow clients, headers dribbled or a body dribbled: 408 problem, the socket closed, nothing written', async () => {
    const body = JSON.stringify(addBody())
    const closed: string[] = []
    const slow = (label: string, parts: string[]) => async () => {
      const r = await dribble(t.url, parts, { everyMs: 40, deadlineMs: 4000 })
      if (!r.closed) closed.push(`${label}: still open after ${r.ms} ms`)
      return replyOf(r)
    }
    const slowHeaders = slow('headers', [`POST ${YEAR_PATH}/commands HTTP/1.1\r\n`, 'Host: test\r\n', `Authorization: Bearer ${TOKENS.finance}\r\n`, ...Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: 1\r\n`)])
    const headers = head('POST', `${YEAR_PATH}/commands`, { Authorization: `Bearer ${TOKENS.finance}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) })
    const slowBody = slow('body', [headers, ...body.split('')])
    await refusals([
      ['headers dribbled', slowHeaders],
      ['a body dribbled', slowBody],
    ])
    expect(closed).toEqual([])
    expect((await slowHeaders()).status).toBe(408)
    expect((await slowBody()).status).toBe(408)
  })
})
