import type { EventStore } from '../../store/port'

/**
 * The store's log version (port.ts) read once for every reader that asks before the event loop's
 * next check phase, instead of once each: under load the requests read from many sockets in one
 * poll phase ask SQLite once. Sound because the mark is read after the last of them asked: it is
 * at least as fresh as the mark each would have read alone at its call, so a write acknowledged
 * (by this process or another) before a request arrived is seen by its read. A reader asking after
 * the read joins the next one, never an older mark.
 */
const ignore = (): undefined => undefined
const batches = new WeakMap<EventStore, () => Promise<string | undefined>>()

export const sharedLogVersion = (store: EventStore): Promise<string | undefined> => {
  let ask = batches.get(store)
  if (ask === undefined) {
    let pending: Promise<string | undefined> | undefined
    const next = (): Promise<string | undefined> => {
      const p = new Promise<string | undefined>((resolve, reject) =>
        setImmediate(() => {
          // Whoever asks from here on waits for a read made after its own call.
          pending = undefined
          try {
            resolve(store.logVersion?.())
          } catch (e) {
            reject(e)
          }
        }),
      )
      // A reader may await the mark only once its turn on a lock comes (snapshots.ts): its refusal
      // is then not an unhandled rejection meanwhile. Marked once per read of the mark, not per reader.
      p.catch(ignore)
      return p
    }
    ask = () => (pending ??= next())
    batches.set(store, ask)
  }
  return ask()
}

/** The shared log version, or none from a store that cannot tell (its readers ask the log itself). */
export const logMark = (store: EventStore): Promise<string | undefined> | undefined => (store.logVersion === undefined ? undefined : sharedLogVersion(store))
