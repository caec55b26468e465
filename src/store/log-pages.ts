import type { RecordedEvent } from './envelope'
import type { EventStore } from './port'

/**
 * The whole log ($all) a page at a time, in global order. The first read leaves `after` out: the
 * port's "beginning". `after: 0` is not the same on every store: an EventStoreDB-compatible server
 * may hold its first event at position 0, and "after 0" would skip it.
 */
export async function* logPages(store: EventStore, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  let after: number | undefined
  for (;;) {
    const page = await store.readAll(after === undefined ? { maxCount: pageSize } : { after, maxCount: pageSize })
    if (page.length === 0) return
    yield page
    if (page.length < pageSize) return
    after = page.at(-1)!.position
  }
}
