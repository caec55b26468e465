import type { Response } from 'express'
import { parseStream, streamOf } from '../../../domain/codecs/primitives'
import { liveClientsMoved } from '../../../metrics/http-metrics'
import type { RecordedEvent } from '../../../store/envelope'
import type { EventStore, Subscription } from '../../../store/port'
import { ProblemError, problem } from '../../wire/problem'
import { type RouteSpec, sendJson } from '../../route'
import { targetOf, yearNotFound } from '../../requests/unit-year'

/**
 * Live updates as server-sent events (text/event-stream). Authenticated like every read, with the
 * Authorization header: the dashboard reads the stream with fetch() and parses it itself, so the
 * token never goes into a URL (EventSource cannot send headers; curl -N can). See docs/dashboard.md.
 *
 * One catch-up subscription to the store per server, shared by every open stream, started after
 * the current position when the first client connects and closed when the last one leaves. So an
 * event recorded by another process on the same store (SQLite polls, EventStoreDB pushes) reaches
 * the page as one recorded through this server does.
 *
 * Each message says only that a unit-year changed and its new revision ({unit, year, revision}):
 * the dashboard role may read tables, not the history, so no event content goes out here.
 */
export const MAX_LIVE_CLIENTS = 100
export const HEARTBEAT_MS = 15_000
/** Events recorded together (an import, a burst) become one message per unit-year. */
const COALESCE_MS = 50

interface Client {
  readonly stream: string
  readonly unit: string
  readonly year: number
  readonly res: Response
  /** The last revision sent; a message never goes backwards or repeats. */
  sent: number
  pending: number | undefined
  timer: NodeJS.Timeout | undefined
  heartbeat: NodeJS.Timeout | undefined
}

const write = (c: Client, text: string): void => {
  if (!c.res.writableEnded && !c.res.destroyed) c.res.write(text)
}

const sendRevision = (c: Client, revision: number): void => {
  if (revision <= c.sent) return
  c.sent = revision
  write(c, `event: revision\nid: ${revision}\ndata: ${JSON.stringify({ unit: c.unit, year: c.year, revision })}\n\n`)
}

class LiveHub {
  readonly clients = new Set<Client>()
  private subscription: Promise<Subscription> | undefined

  constructor(private readonly store: EventStore) {}

  /** Registers the client, then makes sure the shared subscription runs. */
  async join(c: Client): Promise<void> {
    if (!this.clients.has(c)) liveClientsMoved(1)
    this.clients.add(c)
    this.subscription ??= this.store.headPosition().then((head) => this.store.subscribe(head, (e) => this.onEvent(e)))
    const starting = this.subscription
    try {
      await starting
    } catch (err) {
      // A store that failed to start the subscription gets a fresh attempt with the next client.
      if (this.subscription === starting) this.subscription = undefined
      throw err
    }
  }

  leave(c: Client): void {
    if (!this.clients.delete(c)) return
    liveClientsMoved(-1)
    if (c.timer) clearTimeout(c.timer)
    if (c.heartbeat) clearInterval(c.heartbeat)
    if (this.clients.size === 0 && this.subscription) {
      const closing = this.subscription
      this.subscription = undefined
      void closing.then((s) => s.close()).catch(() => undefined)
    }
  }

  private onEvent(e: RecordedEvent): void {
    if (!parseStream(e.stream)) return
    for (const c of this.clients) {
      if (c.stream !== e.stream || e.revision <= c.sent) continue
      c.pending = Math.max(c.pending ?? -1, e.revision)
      c.timer ??= setTimeout(() => {
        c.timer = undefined
        const r = c.pending
        c.pending = undefined
        if (r !== undefined) sendRevision(c, r)
      }, COALESCE_MS)
    }
  }

  /** Ends every open stream (server shutdown). */
  endAll(): void {
    for (const c of [...this.clients]) {
      this.leave(c)
      if (!c.res.writableEnded) c.res.end()
    }
  }
}

const hubs = new WeakMap<EventStore, LiveHub>()
const hubOf = (store: EventStore): LiveHub => {
  let hub = hubs.get(store)
  if (!hub) hubs.set(store, (hub = new LiveHub(store)))
  return hub
}

/** Open live streams on a store (for tests and monitoring). */
export const liveClientCount = (store: EventStore): number => hubs.get(store)?.clients.size ?? 0

/** Ends the live streams of a store, so that a closing server is not held open by them. */
export const endLiveStreams = (store: EventStore): void => hubs.get(store)?.endAll()

export const liveUpdates: RouteSpec = {
  method: 'get',
  path: '/api/units/:unit/years/:year/live',
  access: 'read',
  operation: {
    operationId: 'liveUpdates',
    summary: 'Server-sent events: a message each time the budget year changes, with its new revision',
    description: [
      'text/event-stream. On connecting, and after every change, `event: revision` with `data: {"unit","year","revision"}` (the `id` is the revision); a comment line every 15 s keeps the connection open. Changes recorded together arrive as one message.',
      'Send Accept: text/event-stream for the stream; any other Accept gets the current revision as JSON (a cheap poll). Authenticated with the Authorization header like every read (read the stream with fetch(), or curl -N); EventSource cannot send it. At most 100 open streams per server: more get 503 with Retry-After.',
    ].join('\n\n'),
    tags: ['read'],
    responses: {
      200: {
        description: 'With Accept: text/event-stream, the event stream (stays open); otherwise the current revision as JSON',
        content: {
          'text/event-stream': { schema: { type: 'string' } },
          'application/json': {
            schema: {
              type: 'object',
              required: ['unit', 'year', 'revision'],
              properties: { unit: { type: 'string' }, year: { type: 'integer' }, revision: { type: 'integer' } },
              additionalProperties: false,
            },
          },
        },
      },
      503: { description: 'Too many open live streams; retry later', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
  },
  async handle(ctx, req, res) {
    const target = targetOf(req)
    const store = ctx.deps.store
    const stream = streamOf(target.unit, target.year)
    if ((await store.streamRevision(stream)) < 0) yearNotFound(target)
    const hub = hubOf(store)
    if (hub.clients.size >= MAX_LIVE_CLIENTS)
      throw new ProblemError(problem('contended', `too many open live streams (${MAX_LIVE_CLIENTS}); try again later`), { 'Retry-After': '30' })

    // The stream only for a client that asks for it (EventSource always does): any other gets the
    // current revision as JSON and the answer ends, as a generic client expects of a GET.
    if (!/\btext\/event-stream\b/i.test(req.get('accept') ?? '')) {
      sendJson(res, 200, { unit: target.unit, year: target.year, revision: await store.streamRevision(stream) }, { 'Cache-Control': 'no-store' })
      return
    }
    res.status(200)
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8')
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Accel-Buffering', 'no')
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    res.flushHeaders()
    const client: Client = { stream, unit: target.unit, year: target.year, res, sent: -1, pending: undefined, timer: undefined, heartbeat: undefined }
    res.on('close', () => hub.leave(client))
    write(client, `retry: 3000\n: connected\n\n`)
    client.heartbeat = setInterval(() => write(client, `: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS)
    client.heartbeat.unref()
    // Join first, then read the revision: whatever the subscription has not delivered yet is
    // either in this revision or arrives after it; nothing falls between the two.
    try {
      await hub.join(client)
      if (res.writableEnded || res.destroyed) return hub.leave(client)
      sendRevision(client, await store.streamRevision(stream))
    } catch (err) {
      // The headers are out: end the stream (the page reconnects) and let the error be logged.
      hub.leave(client)
      res.end()
      throw err
    }
  },
}
