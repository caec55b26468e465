import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STATUS_LABELS } from '../../../projections/status-labels'
import { packageRoot, samplePath } from '../../../src/package-root'
import { cli } from '../../support/shells/cli'
import { type TestServer, startServer } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

/**
 * One vocabulary for how an indicator stands: the CLI prints 达标 / 未达标 / 不适用 as the page does,
 * both from projections/status-labels.ts (the page through the API's statusLabel).
 */
describe('indicator states, for people, in one vocabulary', () => {
  const db = tempDb('ledger-labels-')
  let server: TestServer
  beforeAll(async () => {
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    server = await startServer()
    expect((await server.request('POST', '/api/budget-files', { token: 'finance', body: JSON.parse(readFileSync(samplePath(), 'utf8')) })).status).toBe(201)
  })
  afterAll(async () => {
    await server.close()
    db.remove()
  })

  it('given the sample, when the indicators are asked for over HTTP, then each indicator and variant carries the label of its status', async () => {
    const r = await server.request('GET', '/api/units/101065/years/2021/indicators', { token: 'dashboard' })
    expect(r.status).toBe(200)
    const indicators = r.body.indicators as Array<{ status: keyof typeof STATUS_LABELS; statusLabel: string; variants: Array<{ status: keyof typeof STATUS_LABELS; statusLabel: string }> }>
    expect(new Set(indicators.map((i) => i.status))).toEqual(new Set(['not met', 'not applicable', 'met']))
    for (const i of indicators) {
      expect(i.statusLabel).toBe(STATUS_LABELS[i.status])
      for (const v of i.variants) expect(v.statusLabel).toBe(STATUS_LABELS[v.status])
    }
    expect(indicators.find((i) => i.status === 'not met')!.statusLabel).toBe('未达标')
  })

  it('when the CLI prints them as text, then it says 达标 / 未达标 / 不适用 as the page does, never the English codes', async () => {
    const text = await cli(['--db', db.path, 'indicators'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/预算执行率\s+对调整后预算 \*.*≥90%\s+未达标/)
    expect(text.stdout).toContain('不适用')
    expect(text.stdout).not.toMatch(/\b(met|not met|not applicable|no target)\b/)
    const json = JSON.parse((await cli(['--db', db.path, 'indicators', '--format', 'json'])).stdout)
    expect(json.indicators[0]).toMatchObject({ status: 'not met', statusLabel: '未达标' })
  })

  it('the page holds no copy of the words: it shows the API’s statusLabel', () => {
    const dir = join(packageRoot(), 'src', 'http', 'dashboard')
    const page = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n')
    // (the column heading 是否达标 is a heading, not a state)
    for (const label of Object.values(STATUS_LABELS)) expect(page, label).not.toMatch(new RegExp(`['"](✔ |✘ |√ |× |— )?${label}['"]`))
    expect(page).toContain('statusLabel')
  })
})
