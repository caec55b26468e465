import type { AppendBatch } from '../port'

/**
 * Whether a value reaches the commit worker the same as JSON text as by a structured clone: for
 * such values the appender hashes and stores the same bytes either way (sqlite-committer.ts).
 * That is every plain JSON value, and what JSON and the appender already treat alike: undefined
 * (an object's key left out, null in an array, as both the appender's JSON and its canonical
 * JSON write it), and any number (NaN and ±Infinity are null, -0 is 0, in all three). Not plain:
 * anything JSON.stringify would turn into another value first or refuse (a Date or any object
 * with a toJSON, a boxed primitive, a Map, a class instance, a function, a symbol, a bigint), an
 * array with holes, and an own `__proto__` key (JSON.parse makes it a key, not a prototype).
 * Those groups cross by structured clone, as before, so what is stored for them does not change.
 */
const plain = (value: unknown): boolean => {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true
    case 'object':
      break
    default:
      return false
  }
  if (value === null) return true
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) if (!(i in value) || !plain(value[i])) return false
    return true
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return false
  const object = value as Record<string, unknown>
  for (const key in object) if (key === '__proto__' || !plain(object[key])) return false
  return true
}

/** The group as one JSON text when every event's data and metadata are plain (above); otherwise undefined. */
export const groupText = (batches: ReadonlyArray<AppendBatch>): string | undefined => {
  try {
    for (const b of batches) for (const e of b.events) if (!plain(e.data) || !plain(e.metadata)) return undefined
  } catch {
    // A value that holds itself: the walk runs out of stack. The clone carries it, as it did.
    return undefined
  }
  return JSON.stringify(batches)
}
