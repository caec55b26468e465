import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { TARGETS } from '../../scripts/bench/report/targets'
import { tempDb } from '../support/ledgers/temp-db'

/**
 * `npm run bench` at a size too small to mean anything: every measure is taken through the real
 * processes and reported, in JSON and in the Markdown table. No figure is judged here (the machine
 * is shared): only that each is a measured, positive number.
 */
describe('npm run bench', () => {
  const dir = tempDb('bench-smoke-')
  afterAll(() => dir.remove())

  it('given a tiny ledger and one short run, when the bench runs, then every measure has a figure in the JSON and a row in the Markdown', async () => {
    const out = join(dir.dir, 'results.md')
    const loader = join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', loader, join(__dirname, '..', '..', 'scripts', 'bench', 'main.ts'), '--sizes', '300', '--runs', '1', '--seconds', '0.5', '--json', '--out', out], { maxBuffer: 1 << 24 })
    const result = JSON.parse(stdout) as { machine: { cpus: number; loadStart: number[] }; get: { pairs: number; windowSeconds: number; warmSeconds: number }; writes: { warmSeconds: number; windowSeconds: number }; sizes: Array<{ events: number; medians: Record<string, number>; figures: Record<string, number[]>; notes?: Record<string, string> }> }
    expect(result.machine.cpus).toBeGreaterThan(0)
    expect(result.machine.loadStart).toHaveLength(3)
    expect(result.sizes.map((s) => s.events)).toEqual([300])
    const [size] = result.sizes
    // One figure a run, but the GET share: one a pair of windows (measures/server.ts), 4 pairs a run.
    expect(result.get).toEqual({ pairs: 4, windowSeconds: 0.5 / 3, warmSeconds: 0.5 / 3 })
    expect(result.writes).toEqual({ warmSeconds: 0.5, windowSeconds: 0.5 })
    for (const [key, target] of Object.entries(TARGETS)) {
      expect(size!.figures[key], key).toHaveLength(target.perPair ? 4 : 1)
      expect(size!.medians[key], key).toBeGreaterThan(0)
    }
    const md = readFileSync(out, 'utf8')
    expect(md).toContain('## 300 events, median of 1 run(s)')
    for (const target of Object.values(TARGETS)) expect(md).toContain(`| ${target.label} |`)
    // Beside the rebuild (the CLI's snapshots rebuild): whether its read thread ran, never for a range this short (stream-reader.ts reads ≥ 20,000 events on it), so the gate was not asked.
    expect(md).toMatch(/\| full rebuild from the log, as-of index included \| [\d,]+ events\/s \(read thread in 0 of 1 run\(s\); the gate's busy cores not asked; waited \d+\.\d s( \(still busy\))? to settle\) \| ≥ 400,000 events\/s \| (PASS|MISS) \(/)
    expect(md).toMatch(/\| GET table 3 as a share of the ceiling \| \d+ % \(median of 4 interleaved pairs; pairs \d+–\d+ %\) \| ≥ 80 % \| (PASS|MISS) \(/)
    expect(md).toContain('loaded one at a time in 4 pairs of 0.17 s windows a run')
    expect(result.sizes[0]!.notes!.rebuildEventsPerSecond).toMatch(/^read thread in 0 of 1 run\(s\); the gate's busy cores not asked; waited /)
    expect(md).toContain('The full rebuild: `budget-ledger snapshots rebuild --json` of the built CLI')
  }, 180_000)

  it('given a size it cannot read, then it refuses naming the option and the value', async () => {
    const loader = join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')
    const r = await promisify(execFile)(process.execPath, ['--import', loader, join(__dirname, '..', '..', 'scripts', 'bench', 'main.ts'), '--sizes', '10q']).catch((e: { code: number; stderr: string }) => e)
    expect('code' in r ? r.code : 0).toBe(2)
    expect(r.stderr).toContain('--sizes: expected sizes like 10k,100k,1m (at least 100 events), got "10q"')
  })
})
