import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Catalogue, type CatalogueSnapshot, checkCatalogue, currentCatalogue } from '../../support/ledgers/event-catalogue'

/**
 * The codec catalogue snapshot: every event type, its schema version and its codec's shape at each
 * version (test/fixtures/event-catalogue.json). Changing an event codec without a new version and
 * an upcaster fails here, saying what to do; with them, the new shape is recorded by running this
 * file with UPDATE_EVENT_CATALOGUE=1 (which only ever adds a version, never rewrites one).
 */
const FILE = path.resolve(__dirname, '..', '..', 'fixtures', 'event-catalogue.json')
const snapshot = (JSON.parse(readFileSync(FILE, 'utf8')) as { events: CatalogueSnapshot }).events

const withShape = (now: Catalogue, type: string, f: (shape: any) => unknown, version?: number, upcaster = false): Catalogue => ({
  versions: { ...now.versions, ...(version === undefined ? {} : { [type]: version }) },
  shapes: { ...now.shapes, [type]: f(structuredClone(now.shapes[type])) as never },
  hasUpcaster: (t, from) => (upcaster && t === type && from === (version ?? 0) - 1) || now.hasUpcaster(t, from),
})

describe('the event catalogue snapshot', () => {
  it('given the code as it is, when its catalogue is compared with the snapshot, then every type is at its recorded version with its recorded shape', () => {
    const { problems, pending, next } = checkCatalogue(snapshot, currentCatalogue())
    if (process.env.UPDATE_EVENT_CATALOGUE === '1' && problems.length === 0 && pending.length > 0)
      writeFileSync(FILE, `${JSON.stringify({ about: ABOUT, events: next }, null, 1)}\n`)
    else expect([...problems, ...pending]).toEqual([])
  })

  it('given the snapshot, then the three types the 决算 work changed (issue 13) have a version-1 and a version-2 shape (BudgetYearOpened a version 3, its department), and every other type only version 1', () => {
    const versions = Object.fromEntries(Object.entries(snapshot).map(([type, shapes]) => [type, Object.keys(shapes)]))
    for (const [type, v] of Object.entries(versions))
      expect({ type, v }).toEqual({ type, v: type === 'BudgetYearOpened' ? ['1', '2', '3'] : ['LineAllocated', 'YearClosed'].includes(type) ? ['1', '2'] : ['1'] })
    expect(JSON.stringify(snapshot.YearClosed!['1'])).not.toContain('recovered')
    expect(JSON.stringify(snapshot.YearClosed!['2'])).toContain('recovered')
    expect(JSON.stringify(snapshot.BudgetYearOpened!['2'])).not.toContain('department')
    expect(JSON.stringify(snapshot.BudgetYearOpened!['3'])).toContain('department')
  })

  it('given a codec changed without a new version, when checked, then it fails saying to bump the version, write the upcaster and record the shape', () => {
    const changed = withShape(currentCatalogue(), 'BudgetAdded', (s) => ({ ...s, object: { ...s.object, optional: { note: { text: { min: 1, max: 200 } } } } }))
    const { problems } = checkCatalogue(snapshot, changed)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^BudgetAdded: its codec changed but its schema version is still 1\./)
    expect(problems[0]).toContain('bump CURRENT_VERSIONS.BudgetAdded to 2 in src/domain/events/event-versions.ts')
    expect(problems[0]).toContain('src/domain/upcasters/budget-added.ts, registered in UPCASTERS.BudgetAdded[1]')
    expect(problems[0]).toContain('UPDATE_EVENT_CATALOGUE=1 npx vitest run test/audit/old-logs/event-catalogue.test.ts')
  })

  it('given a version bumped without an upcaster, when checked, then it fails naming the missing upcaster', () => {
    const bumped = withShape(currentCatalogue(), 'ExpenditureRecorded', (s) => s, 2)
    expect(checkCatalogue(snapshot, bumped).problems).toEqual([
      'ExpenditureRecorded: at version 2 but no upcaster from version 1: add it (src/domain/upcasters/expenditure-recorded.ts) and register it in UPCASTERS.ExpenditureRecorded[1] (src/domain/events/event-versions.ts)',
    ])
  })

  it('given a version bumped with its upcaster, when checked, then only recording the new shape is left, and recording keeps the old one', () => {
    const bumped = withShape(currentCatalogue(), 'ExpenditureRecorded', (s) => ({ ...s, extra: true }), 2, true)
    const { problems, pending, next } = checkCatalogue(snapshot, bumped)
    expect(problems).toEqual([])
    expect(pending).toEqual(['ExpenditureRecorded: version 2 is new; record its shape with: UPDATE_EVENT_CATALOGUE=1 npx vitest run test/audit/old-logs/event-catalogue.test.ts'])
    expect(next.ExpenditureRecorded!['1']).toEqual(snapshot.ExpenditureRecorded!['1'])
    expect(next.ExpenditureRecorded!['2']).toEqual(bumped.shapes.ExpenditureRecorded)
  })
})

const ABOUT =
  'Every event type and the shape of its codec at each schema version (src/domain/codecs/codec-shape.ts renders it). ' +
  'Checked by test/event-catalogue.test.ts. Versions are only ever added: change a codec by bumping its version ' +
  '(src/domain/events/event-versions.ts) with an upcaster, then UPDATE_EVENT_CATALOGUE=1 npx vitest run test/event-catalogue.test.ts. ' +
  'The version-1 shapes of BudgetYearOpened, LineAllocated and YearClosed were rendered from the codecs of commit 550e728.'
