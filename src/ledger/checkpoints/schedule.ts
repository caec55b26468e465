import type { CheckpointKey } from '../../store/merkle/checkpoints/checkpoint-key'
import type { EventStore, Subscription } from '../../store/port'
import type { Checkpoint } from '../../store/merkle/checkpoints/checkpoint'
import { makeCheckpoint } from './make'
import { type CheckpointTargets, publishCheckpoint } from './publish'

/**
 * The server's checkpoints: one after every `everyEvents` new events, one `everyMinutes` after the
 * last when events came since, and one when it shuts down. Never two at once; a failure to publish
 * is reported (the next one tries again) rather than stopping the ledger.
 */
export class CheckpointSchedule {
  private sub: Subscription | undefined
  private timer: NodeJS.Timeout | undefined
  private pending = 0
  private lastSize = -1
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly store: EventStore,
    private readonly key: CheckpointKey,
    private readonly targets: CheckpointTargets,
    private readonly every: { events: number; minutes: number },
    private readonly report: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts watching the log from its end now; makes a first checkpoint of the log as it is. */
  async start(): Promise<void> {
    await this.checkpoint()
    this.sub = this.store.subscribe(await this.store.headPosition(), () => {
      this.pending++
      if (this.pending >= this.every.events) void this.checkpoint()
    })
    this.timer = setInterval(() => void this.checkpoint(), this.every.minutes * 60_000)
    this.timer.unref()
  }

  /** One checkpoint now, unless the tree did not grow since the last one. */
  checkpoint(): Promise<void> {
    this.running = this.running.then(async () => {
      this.pending = 0
      try {
        const c: Checkpoint = await makeCheckpoint(this.store, this.key, this.now())
        if (c.treeSize === this.lastSize) return
        const places = await publishCheckpoint(c, this.targets)
        this.lastSize = c.treeSize
        this.report(`checkpoint: ${c.treeSize} event(s), root ${c.rootHash}, written to ${places.join(' and ')}`)
      } catch (err) {
        this.report(`checkpoint not made: ${err instanceof Error ? err.message : String(err)}`)
      }
    })
    return this.running
  }

  /** The last checkpoint, then stop: called on shutdown before the store closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.sub?.close()
    await this.checkpoint()
  }
}
