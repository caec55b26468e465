import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_LIVE_CLIENTS, liveClientCount } from '../../../src/http/routes/reads/live'
import { packageRoot } from '../../../src/package-root'
import { FIXTURE, TOKENS, YEAR_PATH, addBody, isProblem, serverForTests } from '../../support/shells/http'

/** A server-sent-event client over fetch (the dashboard's way: the token in a header). */
interface SseClient {
  /** Resolves with the next `event: revision` message whose revision passes the test, within `ms`. */
  next(test: (m: { unit: string; year: number; revision: number }) => boolean, ms?: number): Promise<{ unit: string; year: number; revision: number }>
  readonly comments: string[]
  readonly status: number
  readonly contentType: string
  close(): void
}

const connect = async (url: string, token: string = TOKENS.dashboard): Promise<SseClient> => {
  const controller = new AbortController()
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal })
  const messages: Array<{ unit: string; year: number; revision: number }> = []
  const comments: string[] = []
  const waiters = new Set<() => void>()
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder()
      let buffer = ''
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true })
          const blocks = buffer.split('\n\n')
          buffer = blocks.pop()!
          for (const block of blocks) {
            const lines = block.split('\n')
            for (const l of lines) if (l.startsWith(':')) comments.push(l.slice(1).trim())
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6)
            if (event === 'revision' && data) messages.push(JSON.parse(data))
          }
          for (const w of waiters) w()
        }
      } catch {
        // aborted
      }
    })()
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    comments,
    next: (test, ms = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const i = messages.findIndex(test)
          if (i < 0) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(messages.splice(0, i + 1).at(-1)!)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching message within ${ms} ms; got ${JSON.stringify(messages)}`))
        }, ms)
        waiters.add(check)
        check()
      }),
    close: () => controller.abort(),
  }
}

const waitFor = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('GET …/live: server-sent events when a budget year changes', () => {
  const t = serverForTests({ fixture: true })
  const live = () => `${t.url}${YEAR_PATH}/live`

  it('says the current revision on connecting, then the new one after a POST, without the event content', async () => {
    const c = await connect(live())
    try {
      expect(c.status).toBe(200)
      expect(c.contentType).toBe('text/event-stream; charset=utf-8')
      const first = await c.next(() => true)
      const revision = (await t.request('GET', YEAR_PATH, { token: 'auditor' })).headers.get('etag')
      expect(first).toEqual({ unit: FIXTURE.unit, year: FIXTURE.year, revision: Number(JSON.parse(revision!)) })
      expect(c.comments).toContain('connected')

      const add = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('25.00') })
      expect(add.status).toBe(201)
      const after = await c.next((m) => m.revision > first.revision, 1000)
      expect(after).toEqual({ unit: FIXTURE.unit, year: FIXTURE.year, revision: add.body.revision })
    } finally {
      c.close()
    }
    await waitFor(() => liveClientCount(t.store) === 0)
  })

  it('coalesces a burst into the latest revision and never repeats or goes back', async () => {
    const c = await connect(live())
    try {
      const first = await c.next(() => true)
      let last = 0
      for (let i = 0; i < 5; i++) last = (await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('1.00') })).body.revision
      const seen: number[] = []
      for (;;) {
        const m = await c.next(() => true)
        seen.push(m.revision)
        if (m.revision === last) break
      }
      expect(seen.every((r, i) => r > (i === 0 ? first.revision : seen[i - 1]!))).toBe(true)
    } finally {
      c.close()
    }
  })

  it('reaches the page when another process records on the same SQLite file', async () => {
    const c = await connect(live())
    try {
      const first = await c.next(() => true)
      const child = spawn(
        process.execPath,
        [
          '--import',
          join(packageRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs'),
          join(packageRoot(), 'src', 'cli', 'main.ts'),
          '--db',
          t.dbPath,
          'add',
          '--unit', FIXTURE.unit, '--year', String(FIXTURE.year), '--line', 'p02', '--amount', '300.00', '--category', 'ordinary',
          '--reason', '另一进程追加', '--document', '测试〔2021〕9号', '--date', '2021-06-01',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LEDGER_ACTOR: 'other-process' } },
      )
      let err = ''
      child.stderr!.on('data', (b: Buffer) => (err += b.toString()))
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      expect(code, err).toBe(0)
      const m = await c.next((x) => x.revision > first.revision, 3000)
      expect(m.revision).toBe(first.revision + 1)
    } finally {
      c.close()
    }
  })

  it('without Accept: text/event-stream it answers the current revision as JSON and ends', async () => {
    const r = await t.request('GET', `${YEAR_PATH}/live`, { token: 'dashboard' })
    expect(r.status).toBe(200)
    expect(r.contentType).toBe('application/json; charset=utf-8')
    const etag = (await t.request('GET', YEAR_PATH, { token: 'dashboard' })).headers.get('etag')!
    expect(r.body).toEqual({ unit: FIXTURE.unit, year: FIXTURE.year, revision: Number(JSON.parse(etag)) })
    expect(liveClientCount(t.store)).toBe(0)
  })

  it('needs a read token in the Authorization header; 404 for a year not in the ledger', async () => {
    const none = await fetch(live())
    expect(none.status).toBe(401)
    await none.body?.cancel()
    const query = await fetch(`${live()}?access_token=${TOKENS.dashboard}`)
    expect(query.status).toBe(401)
    await query.body?.cancel()
    const missing = await t.request('GET', `/api/units/${FIXTURE.unit}/years/2030/live`, { token: 'dashboard' })
    expect(missing.status).toBe(404)
    expect(isProblem(missing)).toBe(true)
  })

  it(`bounds the open streams at ${MAX_LIVE_CLIENTS}, sharing one store subscription; one more gets 503 with Retry-After; the last to leave closes it`, async () => {
    await waitFor(() => liveClientCount(t.store) === 0)
    // Count the store subscriptions the streams open and close.
    const store = t.store
    const subscribe = store.subscribe.bind(store)
    let opened = 0
    let closed = 0
    store.subscribe = (after, onEvent) => {
      opened++
      const s = subscribe(after, onEvent)
      return { close: async () => (closed++, s.close()) }
    }
    const clients = await Promise.all(Array.from({ length: MAX_LIVE_CLIENTS }, () => connect(live())))
    try {
      await Promise.all(clients.map((c) => c.next(() => true)))
      expect(liveClientCount(t.store)).toBe(MAX_LIVE_CLIENTS)
      const over = await t.request('GET', `${YEAR_PATH}/live`, { token: 'dashboard' })
      expect(over.status).toBe(503)
      expect(over.headers.get('retry-after')).toBe('30')
      expect(isProblem(over)).toBe(true)
      expect([opened, closed]).toEqual([1, 0])
    } finally {
      for (const c of clients) c.close()
    }
    await waitFor(() => liveClientCount(t.store) === 0)
    await waitFor(() => closed === 1)
    expect(opened).toBe(1)
    store.subscribe = subscribe
  })
})
