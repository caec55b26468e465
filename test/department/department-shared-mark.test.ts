import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { departmentYearAt } from '../../src/ledger/reports/department'
import { SqliteEventStore } from '../../src/store/sqlite/sqlite'
import { DEPARTMENT, buildDepartment } from '../support/years/department'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * A department's read asks the store's log version as a unit-year's does (src/ledger/read-path/shared-mark.ts):
 * once for the reads asked in one turn of the event loop, its memberships and its members' timelines
 * together, and never a mark older than the read's own call.
 */
describe('a department’s reads share one read of the log version', () => {
  it('given two department reads asked together and another connection’s write to a member acknowledged between them, when they are answered, then the store is asked its log version once and both see the write', async () => {
    const db = tempDb('ledger-department-mark-')
    const store = new SqliteEventStore(db.path)
    const other = new SqliteEventStore(db.path)
    try {
      await buildDepartment(store)
      const stream = 'budget-900502-2021'
      const revisionOf = (r: Awaited<ReturnType<typeof departmentYearAt>>) => r.members.find((s) => s.identity!.unit.code === '900502')!.revision
      const before = revisionOf(await departmentYearAt(store, DEPARTMENT.code, 2021))
      const last = (await store.readStream(stream)).at(-1)!
      let asked = 0
      const logVersion = store.logVersion.bind(store)
      store.logVersion = () => {
        asked += 1
        return logVersion()
      }
      const first = departmentYearAt(store, DEPARTMENT.code, 2021)
      // Acknowledged before the second read is asked: a mark read at the first call would miss it.
      await other.append(stream, [{ id: randomUUID(), type: last.type, data: last.data, metadata: last.metadata }], before)
      const second = departmentYearAt(store, DEPARTMENT.code, 2021)
      expect((await Promise.all([first, second])).map(revisionOf)).toEqual([before + 1, before + 1])
      expect(asked).toBe(1)
    } finally {
      await other.close()
      await store.close()
      db.remove()
    }
  })
})
