import { isDeepStrictEqual } from 'node:util'
import { type Shape, codecShape } from '../../../src/domain/codecs/codec-shape'
import { CURRENT_VERSIONS, UPCASTERS } from '../../../src/domain/events/event-versions'
import { EVENT_CODECS, type EventType } from '../../../src/domain/events/events'

/**
 * The event catalogue snapshot (test/fixtures/event-catalogue.json): for every event type, the
 * shape of its codec at every schema version it has had. Past versions are never rewritten: a
 * stored event of version n was written against shape n forever.
 */
export type CatalogueSnapshot = Record<string, Record<string, Shape>>

export interface Catalogue {
  readonly versions: Readonly<Record<string, number>>
  readonly shapes: Readonly<Record<string, Shape>>
  /** Whether an upcaster from version n of a type (to n + 1) is registered. */
  readonly hasUpcaster: (type: string, from: number) => boolean
}

/** The catalogue as the code is now. */
export const currentCatalogue = (): Catalogue => ({
  versions: CURRENT_VERSIONS,
  shapes: Object.fromEntries([...EVENT_CODECS].map(([type, codec]) => [type, codecShape(codec)])),
  hasUpcaster: (type, from) => typeof UPCASTERS[type as EventType]?.[from] === 'function',
})

export const UPDATE_COMMAND = 'UPDATE_EVENT_CATALOGUE=1 npx vitest run test/audit/old-logs/event-catalogue.test.ts'

const fileOf = (type: string) => `src/domain/upcasters/${type.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}.ts`

const whatToDo = (type: string, version: number) =>
  `bump CURRENT_VERSIONS.${type} to ${version + 1} in src/domain/events/event-versions.ts, write the upcaster from version ${version} ` +
  `(a pure function in ${fileOf(type)}, registered in UPCASTERS.${type}[${version}]) and test it on a stored version-${version} event, ` +
  `then record the new shape with: ${UPDATE_COMMAND}`

/**
 * What is wrong between the snapshot and the code, each in words that say what to do; and the
 * snapshot with what may be added (a new version's shape, a new type at version 1). A shape
 * already recorded is never replaced: that is the change-without-a-version this guards against.
 */
export const checkCatalogue = (snapshot: CatalogueSnapshot, now: Catalogue): { problems: string[]; pending: string[]; next: CatalogueSnapshot } => {
  const problems: string[] = []
  const pending: string[] = []
  const next: CatalogueSnapshot = structuredClone(snapshot)
  for (const type of Object.keys(snapshot))
    if (!(type in now.versions)) problems.push(`${type}: in the snapshot but no longer an event type. Stored ${type} events must stay readable: keep the type (and its codec) in src/domain/events/events.ts`)
  for (const [type, version] of Object.entries(now.versions)) {
    const shape = now.shapes[type]
    const recorded = snapshot[type] ?? {}
    const known = Object.keys(recorded).map(Number).sort((a, b) => a - b)
    const last = known.at(-1)
    for (let v = 1; v < version; v++)
      if (!now.hasUpcaster(type, v)) problems.push(`${type}: at version ${version} but no upcaster from version ${v}: add it (${fileOf(type)}) and register it in UPCASTERS.${type}[${v}] (src/domain/events/event-versions.ts)`)
    if (last === undefined) {
      if (version !== 1) problems.push(`${type}: a new event type starts at version 1, not ${version}`)
      else pending.push(`${type}: a new event type; record its version-1 shape with: ${UPDATE_COMMAND}`)
      next[type] = { 1: shape! }
    } else if (version === last) {
      if (!isDeepStrictEqual(recorded[String(last)], shape))
        problems.push(`${type}: its codec changed but its schema version is still ${version}. Events already stored were written with the old shape: ${whatToDo(type, version)}`)
    } else if (version === last + 1) {
      if (now.hasUpcaster(type, last)) {
        pending.push(`${type}: version ${version} is new; record its shape with: ${UPDATE_COMMAND}`)
        next[type] = { ...recorded, [String(version)]: shape! }
      }
    } else problems.push(`${type}: the snapshot knows versions up to ${last}, the code says ${version}: a version is bumped by one, with an upcaster from the one before`)
  }
  return { problems, pending, next }
}
