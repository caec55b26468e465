import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { type BudgetYearState, decide, spentOf } from '../../../src/domain/budget-year'
import type { Command } from '../../../src/domain/events/commands'
import { loadBudgetYear } from '../../../src/ledger/fold/load'
import { BudgetYearSnapshots } from '../../../src/ledger/fold/snapshots/snapshots'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { AT, TARGET, cmd, recorder } from '../../support/ledgers/audit-ledger'
import { ctx } from '../../support/years/given'
import { view } from '../../support/years/random-year'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * The lean journal (src/ledger/fold/snapshots/store-journal.ts): a head folded from a SQLite log holds only its
 * latest journal entries and reads older ones back from the log by event id when a reversal names
 * them, keeping every reversal mark. Here it holds two, and the year has a dozen expenditures.
 */
const spend = (i: number): Command =>
  cmd('RecordExpenditure', { line: 'p01', amount: `${100 + i}.00`, economicCode: '30217', voucher: `V-${i}`, threePublic: i % 2 ? 'reception' : null, procurement: null })
const reverse = (id: string): Command => cmd('ReverseEvent', { event: id })
const decision = (s: BudgetYearState, c: Command): string => {
  const d = decide(s, c, ctx)
  return E.isLeft(d) ? d.left.code : d.right.map((e) => e.type).join()
}

describe('the lean journal: reversals of entries older than the ones held', () => {
  it('given a head on a SQLite file holding 2 journal entries, when the first of 12 expenditures is reversed, then the head equals a full replay; reversing it again is refused (already-reversed), also once the entry and its mark have left memory, and nothing more is written', async () => {
    const db = tempDb('ledger-lean-journal-')
    const store = new SqliteEventStore(db.path)
    try {
      const { record, importAt } = recorder(store)
      await importAt(AT.import)
      const spent: string[] = []
      for (let i = 0; i < 12; i++) spent.push(...(await record(`2021-03-${String(2 + i).padStart(2, '0')}T03:00:00.000Z`, spend(i))))
      const oldest = spent[0]!
      const lean = new BudgetYearSnapshots(store, { every: 4, journalInMemory: 2 })
      const before = (await lean.stateAt(TARGET.unit, TARGET.year)).state
      // Not held (only the last two are), read back from the log: a reversal of it is decided as on a full replay.
      expect(decision(before, reverse(oldest))).toBe('EventReversed')
      await record('2021-03-20T03:00:00.000Z', reverse(oldest))
      const after = (await lean.stateAt(TARGET.unit, TARGET.year)).state
      const full = await loadBudgetYear(store, TARGET.unit, TARGET.year)
      expect(view(after, spent)).toEqual(view(full.state, spent))
      expect(spentOf(after.lines.get('p01')!).toFixed(2)).toBe(spentOf(full.state.lines.get('p01')!).toFixed(2))
      expect(decision(after, reverse(oldest))).toBe('already-reversed')
      // Three more expenditures: the reversed entry (held again since it was read) leaves memory; its mark stays.
      for (let i = 12; i < 15; i++) spent.push(...(await record(`2021-03-${String(9 + i).padStart(2, '0')}T05:00:00.000Z`, spend(i))))
      const later = (await lean.stateAt(TARGET.unit, TARGET.year)).state
      expect(decision(later, reverse(oldest))).toBe('already-reversed')
      expect(decision(later, reverse(spent[1]!))).toBe('EventReversed')
      const events = (await store.readStream(`budget-${TARGET.unit}-${TARGET.year}`)).length
      await expect(record('2021-03-25T03:00:00.000Z', reverse(oldest))).rejects.toThrow(/already-reversed/)
      expect((await store.readStream(`budget-${TARGET.unit}-${TARGET.year}`)).length).toBe(events)
      const end = await loadBudgetYear(store, TARGET.unit, TARGET.year)
      expect(view(later, spent)).toEqual(view(end.state, spent))
      // Walked whole, the lean journal is a replay's: every entry, in revision order, with its mark.
      const walk = (s: BudgetYearState) => [...s.journal].map(([id, e]) => [id, e.revision, e.event.type, e.reversedAt ?? null])
      expect(walk(later)).toEqual(walk(end.state))
      expect(walk(later).filter(([, , , at]) => at !== null)).toHaveLength(1)
    } finally {
      await store.close()
      db.remove()
    }
  })
})
