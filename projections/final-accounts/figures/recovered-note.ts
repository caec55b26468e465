import type Decimal from 'decimal.js'
import { toWan } from '../../../src/domain/money/money'

/**
 * 收回 in the 决算 tables: the published tables have no row or column for it (本年收入 is what was
 * received, net of it), so a table whose money was partly taken back says how much in a note.
 */
export const recoveredNote = (recovered: Decimal): string[] =>
  recovered.isZero() ? [] : [`年终财政收回 ${toWan(recovered)} 万元（全年预算中未支出、未结转的部分），不计入本年收入和年末结转和结余。`]
