import { renderCacheMetrics } from '../../metrics/http-metrics'

/** A read as sent: its bytes, their type, any headers of its own (a download's file name) and its own ETag, when it is not the year's. */
export interface Rendering {
  readonly body: Buffer
  readonly contentType: string
  readonly headers?: Readonly<Record<string, string>>
  readonly etag?: string
}

/**
 * Renderings of reads kept per revision (issue 15, "read path"): a GET of a table asked again at
 * the same revision sends the bytes rendered the first time instead of re-rendering the table
 * through decimal.js. An entry is the rendering of one key (the year's address, what was read with
 * its format, the time point normalized) at one version (the year's ETag): a write moves the
 * version, and an entry of another version is never served, only replaced.
 *
 * Bounded twice, as a least-recently-used list: 256 entries hold every table, 决算 table and
 * the indicators of a dozen unit-years in two formats, the working set of a server whose pages
 * all look at this year; 32 MiB caps what downloads (an XLSX is ~10-100 KB, a big JSON table
 * ~50 KB) may pin, a small share of the server's memory target. One that alone is over a quarter
 * of the bytes is not kept.
 */
export class RenderCache {
  private readonly entries = new Map<string, { version: string; rendering: Rendering }>()
  private bytes = 0
  /** The most recently used key: a hit on it needs no move to the end of the list (the common case: one table asked again and again). */
  private newest: string | undefined

  constructor(
    readonly maxEntries = 256,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** The rendering of `key` at `version`, made the most recently used; undefined when not kept. */
  get(key: string, version: string): Rendering | undefined {
    const e = this.entries.get(key)
    if (e !== undefined && key === this.newest && e.version === version) {
      renderCacheMetrics.hit()
      return e.rendering
    }
    if (e !== undefined) this.entries.delete(key)
    if (key === this.newest) this.newest = undefined
    if (e === undefined || e.version !== version) {
      if (e !== undefined) this.let(e.rendering)
      renderCacheMetrics.miss()
      return undefined
    }
    this.entries.set(key, e)
    this.newest = key
    renderCacheMetrics.hit()
    return e.rendering
  }

  set(key: string, version: string, rendering: Rendering): void {
    const old = this.entries.get(key)
    if (old !== undefined) {
      this.entries.delete(key)
      this.let(old.rendering)
    }
    if (key === this.newest) this.newest = undefined
    if (rendering.body.length > this.maxBytes / 4) return
    this.entries.set(key, { version, rendering })
    this.newest = key
    this.bytes += rendering.body.length
    renderCacheMetrics.held(1, rendering.body.length)
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.let(e.rendering)
    }
  }

  /** Entries kept (for tests and the bench). */
  get size(): number {
    return this.entries.size
  }

  private let(r: Rendering): void {
    this.bytes -= r.body.length
    renderCacheMetrics.held(-1, -r.body.length)
  }
}
