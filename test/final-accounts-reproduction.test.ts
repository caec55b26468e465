import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { agrees, type Compared, compareDocument, showMismatch } from './support/final-accounts-comparison'
import { FINAL_ACCOUNTS_DIR, loadFinalAccounts } from './support/final-accounts-fixture'
import { finalTablesOf, type RecordingPlan, recordDocument } from './support/final-accounts-recording'
import { tempDb } from './support/temp-db'

/**
 * Issue 13's acceptance: three published 2024 部门决算 of 普陀区 (test/fixtures/final-accounts/),
 * recorded through the CLI as a finance user would, and every cell of their nine tables set beside
 * the ledger's (test/support/final-accounts-comparison.ts). The ledger foots exactly; where the
 * document does not, the cells that differ are listed here, each with the drift of the document's
 * own arithmetic that the fixture README names (quoted from it, and checked to be there).
 */

const README = readFileSync(path.join(FINAL_ACCOUNTS_DIR, 'README.md'), 'utf8')
/** The README's words without emphasis and line breaks, so a quoted drift can be looked up. */
const readmeText = README.replace(/\*\*/g, '').replace(/\s+/g, ' ')
const budgetFile = (id: string) => path.join(FINAL_ACCOUNTS_DIR, 'budget-files', `${id}.json`)

/** A cell the ledger prints otherwise than the document, and the README's words for why. */
type Drift = readonly [mismatch: string, readme: string]

const reproduce = async (db: string, id: string, plan: RecordingPlan): Promise<Compared[]> => {
  await recordDocument(db, plan)
  return compareDocument(loadFinalAccounts(id), await finalTablesOf(db, plan.unit, plan.year))
}

const expectDrifts = (compared: ReadonlyArray<Compared>, drifts: ReadonlyArray<Drift>) => {
  expect(compared.filter((c) => !agrees(c)).map(showMismatch)).toEqual(drifts.map(([m]) => m))
  for (const [, why] of drifts) expect(readmeText).toContain(why)
}

/** How many cells were compared, how many of them print a figure (not blank), how many agree. */
const tally = (compared: ReadonlyArray<Compared>) => ({
  cells: compared.length,
  printed: compared.filter((c) => c.printed !== null).length,
  exact: compared.filter(agrees).length,
})

let db: ReturnType<typeof tempDb>
beforeEach(() => {
  db = tempDb('final-accounts-')
})
afterEach(() => db.remove())

/**
 * 区委社会工作部 2024: 年初预算 0, every 项's 全年预算 added in the year (追加), 307.82 spent, and
 * the 13.20 left unspent taken back (收回). The 项 × economic split is not published: the vouchers
 * below are one split that gives every printed margin (表五 by 项, 表六 by 款).
 */
const SHGZB: RecordingPlan = {
  budgetFile: budgetFile('putuo-shgzb-2024'),
  unit: '000002',
  year: 2024,
  additions: [
    ['s2013901', '52.00'],
    ['s2013950', '17.68'],
    ['s2013999', '202.24'],
    ['s2080505', '9.00'],
    ['s2080506', '5.74'],
    ['s2101101', '2.23'],
    ['s2101102', '2.29'],
    ['s2210201', '18.12'],
    ['s2210203', '11.72'],
  ],
  vouchers: [
    ['s2080505', '30108', '6.18'],
    ['s2080506', '30109', '4.64'],
    ['s2101101', '30110', '2.22'],
    ['s2101102', '30110', '0.49'],
    ['s2210201', '30113', '17.70'],
    ['s2210203', '30102', '11.72'],
    ['s2013950', '30107', '10.16'],
    ['s2013950', '30211', '1.15'],
    ['s2013901', '30101', '14.12'],
    ['s2013901', '30102', '28.00'],
    ['s2013901', '30112', '0.09'],
    ['s2013901', '30199', '0.04'],
    ['s2013901', '30201', '3.78'],
    ['s2013901', '30213', '0.02'],
    ['s2013901', '30226', '0.68'],
    ['s2013901', '30227', '0.48'],
    ['s2013901', '30229', '1.48'],
    ['s2013901', '30239', '2.43'],
    ['s2013901', '30299', '0.20'],
    // project spending is not in 表六: its economic code is a choice
    ['s2013999', '30227', '202.24'],
  ],
  close: { carry: [], recover: ['s2013901', 's2013950', 's2080505', 's2080506', 's2101101', 's2101102', 's2210201'] },
}

describe('区委社会工作部 2024 部门决算 (putuo-shgzb-2024), recorded through the CLI', () => {
  it('given its budget file at 0, 追加 to 321.02, vouchers of 307.82 and 13.20 收回 at the close, when its nine 决算 tables are set beside the document, then every cell agrees but the two the document’s 302 drift explains', async () => {
    const compared = await reproduce(db.path, 'putuo-shgzb-2024', SHGZB)
    expectDrifts(compared, [
      ['一般公共预算财政拨款基本支出决算表 | 302 | 决算数 | 10.23 → 10.22', '302 is 10.23 against Σ 款 10.22'],
      ['一般公共预算财政拨款基本支出决算表 | 公用经费合计 | 决算数 | 10.23 → 10.22', '人员经费 95.36 + 公用经费 10.23 = 105.59 against 基本支出 105.58'],
    ])
    expect(tally(compared)).toEqual({ cells: 576, printed: 226, exact: 574 })
  })
})
