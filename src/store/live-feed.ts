import type { RecordedEvent } from './envelope'
import type { Subscription } from './port'

const PAGE = 1000

/** Reads at most `maxCount` events strictly after `after` in global order. */
export type ReadPage = (after: number | undefined, maxCount: number) => Promise<RecordedEvent[]>

/**
 * Catch-up subscriptions for adapters that can read the log by position: each subscriber reads
 * pages after its own checkpoint until it is caught up, then waits for the next notify (or polls,
 * for writers in other processes). Events reach a subscriber once each, in order.
 */
export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>()

  constructor(
    private readonly readPage: ReadPage,
    private readonly pollMs?: number,
  ) {}

  subscribe(after: number | undefined, onEvent: (e: RecordedEvent) => void | Promise<void>): Subscription {
    const sub = new Subscriber(after, onEvent, this.readPage, this.pollMs)
    this.subscribers.add(sub)
    sub.wake()
    return {
      close: async () => {
        this.subscribers.delete(sub)
        await sub.stop()
      },
    }
  }

  notify(): void {
    for (const s of this.subscribers) s.wake()
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.subscribers].map((s) => s.stop()))
    this.subscribers.clear()
  }
}

class Subscriber {
  private running: Promise<void> | undefined
  private again = false
  private stopped = false
  private timer: NodeJS.Timeout | undefined

  constructor(
    private checkpoint: number | undefined,
    private readonly onEvent: (e: RecordedEvent) => void | Promise<void>,
    private readonly readPage: ReadPage,
    private readonly pollMs?: number,
    private readonly onError: (err: unknown) => void = (err) =>
      process.emitWarning(`event subscription handler failed: ${err instanceof Error ? err.message : String(err)}`),
  ) {
    if (pollMs) this.timer = setInterval(() => this.wake(), pollMs).unref()
  }

  wake(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.drain()
      // A failing handler must not crash the process: report it and retry on the next wake.
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.running = undefined
        if (this.again && !this.stopped) {
          this.again = false
          this.wake()
        }
      })
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return
      const page = await this.readPage(this.checkpoint, PAGE)
      for (const e of page) {
        if (this.stopped) return
        await this.onEvent(e)
        this.checkpoint = e.position
      }
      if (page.length < PAGE) return
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.running?.catch(() => undefined)
  }
}
