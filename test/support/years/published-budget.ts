import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The published 工信科技金融办 2021 年度部门预算 as text (test/fixtures/README.md), the reference
 * the bundled sample is checked against. Read from the repository so a fresh clone tests alone.
 */
export const PUBLISHED_BUDGET = path.resolve(__dirname, '..', '..', 'fixtures', 'budget-101065-2021.txt')

/** Its lines, as printed (a stray CR at a line end removed). */
export const publishedBudgetLines = (): string[] =>
  readFileSync(PUBLISHED_BUDGET, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
