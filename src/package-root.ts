import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The folder holding package.json, whether running from src/ (tsx, vitest) or dist/src (built). */
export const packageRoot = (): string => {
  let dir = __dirname
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'reference'))) return dir
    dir = dirname(dir)
  }
  throw new Error(`cannot find the budget-ledger package root above ${__dirname}`)
}

export const samplePath = (): string => join(packageRoot(), 'src', 'sample', 'budget-101065-2021.json')

/** The version package.json declares (`budget-ledger --version`). */
export const packageVersion = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
