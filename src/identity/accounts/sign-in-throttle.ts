/**
 * Guessing passwords over HTTP, slowed down: after `limit` wrong passwords for one name within
 * `minutes`, that name is refused until the oldest of them is that old. Counted per name rather
 * than per address, so guesses spread over many addresses are held back as well; the price is that
 * someone could keep one person out for a while, which the person's administrator can see and stop.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limit = 5,
    private readonly minutes = 15,
    private readonly maxNames = 10_000,
  ) {}

  private recent(name: string): number[] {
    const since = this.now() - this.minutes * 60_000
    const kept = (this.failures.get(name) ?? []).filter((t) => t > since)
    if (kept.length === 0) this.failures.delete(name)
    else this.failures.set(name, kept)
    return kept
  }

  /** Seconds until this name may try again; 0 when it may now. */
  waitFor(name: string): number {
    const kept = this.recent(name.trim())
    return kept.length < this.limit ? 0 : Math.ceil((kept[0]! + this.minutes * 60_000 - this.now()) / 1000)
  }

  failed(name: string): void {
    const key = name.trim()
    if (!this.failures.has(key) && this.failures.size >= this.maxNames) this.failures.delete(this.failures.keys().next().value!)
    this.failures.set(key, [...this.recent(key), this.now()])
  }

  succeeded(name: string): void {
    this.failures.delete(name.trim())
  }
}
