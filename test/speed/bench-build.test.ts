import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newerSource } from '../../scripts/bench/processes'
import { tempDb } from '../support/ledgers/temp-db'

/** The bench measures the built code, so it refuses a dist older than its source (scripts/bench/processes.ts). */
describe('the bench and its build', () => {
  const dir = tempDb('bench-build-')
  afterAll(() => dir.remove())
  const at = (path: string, seconds: number) => {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, 'x')
    utimesSync(path, seconds, seconds)
    return path
  }

  it('given bundles built after every source file, then nothing is newer; given one file in a nested folder changed after the older bundle, then that file is named', () => {
    const src = join(dir.dir, 'src')
    at(join(src, 'a.ts'), 1_000)
    at(join(src, 'ledger', 'b.ts'), 1_100)
    utimesSync(join(src, 'ledger'), 1_100, 1_100)
    utimesSync(src, 1_100, 1_100)
    const cli = at(join(dir.dir, 'dist', 'cli.js'), 2_000)
    const server = at(join(dir.dir, 'dist', 'server.js'), 1_500)
    expect(newerSource([cli, server], [src])).toBeUndefined()
    at(join(src, 'ledger', 'b.ts'), 1_600)
    expect(newerSource([cli, server], [src])).toBe(join(src, 'ledger', 'b.ts'))
  })
})
