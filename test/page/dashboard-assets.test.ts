import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DASHBOARD_DIR } from '../../src/http/routes/server/dashboard'
import { serverForTests } from '../support/shells/http'
import { rawGet } from '../support/shells/raw-http'

/**
 * The page's files as the server serves them: native ES modules with a JavaScript type (a browser
 * refuses a module of any other type), every module the page imports served, and nothing else.
 */
const importsOf = (name: string, source: string): string[] =>
  [...source.matchAll(/^import [^'"]*['"](\.\.?\/[^'"]+)['"]/gm)].map((m) => posix.join(posix.dirname(name), m[1]!))

describe('given the running app', () => {
  const t = serverForTests()

  it('when the page is fetched, then it loads main.js as a module, and every module it imports, transitively, is served as text/javascript', async () => {
    const page = await t.request('GET', '/')
    expect(page.body).toContain('<script type="module" src="/dashboard/main.js"></script>')
    const seen = new Set<string>()
    const queue = ['main.js']
    while (queue.length) {
      const name = queue.shift()!
      if (seen.has(name)) continue
      seen.add(name)
      const r = await rawGet(t.url, `/dashboard/${name}`)
      expect(r.status, name).toBe(200)
      expect(r.contentType, name).toBe('text/javascript; charset=utf-8')
      expect(r.body).toBe(readFileSync(join(DASHBOARD_DIR, name), 'utf8'))
      queue.push(...importsOf(name, r.body))
    }
    // One module per part of the page, the API calls in one of them.
    for (const part of ['core/api.js', 'figures/tables.js', 'figures/indicators.js', 'figures/charts.js', 'read/asof.js', 'figures/downloads.js', 'read/live.js'])
      expect(seen, part).toContain(part)
    for (const name of seen) if (name !== 'core/api.js') expect(readFileSync(join(DASHBOARD_DIR, name), 'utf8'), name).not.toMatch(/\bfetch\(/)
    expect((await rawGet(t.url, '/dashboard/header-layout.js')).contentType).toBe('text/javascript; charset=utf-8')
    expect((await rawGet(t.url, '/vendor/echarts.min.js')).contentType).toBe('text/javascript; charset=utf-8')
    expect((await rawGet(t.url, '/dashboard/style.css')).contentType).toBe('text/css; charset=utf-8')
  })

  it('when anything but one of its files is asked for under /dashboard/ (the old app.js, the page, a climb out, an encoded one), then 404', async () => {
    for (const path of [
      '/dashboard/app.js',
      '/dashboard/index.html',
      '/dashboard/',
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%2f..%2f..%2fpackage.json',
      '/dashboard/main.js/',
      '/dashboard/MAIN.JS',
      '/dashboard/.hidden.js',
      '/dashboard/core/',
      '/dashboard/core/../main.js',
      '/dashboard/core%2fapi.js',
      '/dashboard/core/amount.d.ts',
    ]) {
      const r = await rawGet(t.url, path)
      expect(r.status, path).toBe(404)
      expect(r.body, path).not.toContain('"name": "budget-ledger"')
    }
  })
})
