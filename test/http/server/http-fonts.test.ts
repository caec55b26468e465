import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serverForTests } from '../../support/shells/http'
import { rawGet } from '../../support/shells/raw-http'

/**
 * The dashboard's Chinese web font (Noto Sans SC, from @fontsource/noto-sans-sc) served by the app
 * itself, so the page reads on a machine with no CJK font and reaches no other server.
 */
const PACKAGE_DIR = dirname(require.resolve('@fontsource/noto-sans-sc/400.css'))
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version

/** The font addresses a style sheet names. */
const fontUrls = (css: string): string[] => [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!)

describe('given the running app', () => {
  const t = serverForTests()

  it('when the dashboard page is fetched, then it links the regular and bold Noto Sans SC style sheets of this server', async () => {
    const page = await t.request('GET', '/')
    expect(page.body).toContain('<link rel="stylesheet" href="/fonts/noto-sans-sc/400.css">')
    expect(page.body).toContain('<link rel="stylesheet" href="/fonts/noto-sans-sc/700.css">')
    const style = await t.request('GET', '/dashboard/style.css')
    expect(style.body).toMatch(/--font: "Noto Sans SC", /)
  })

  it('when a style sheet is fetched, then it is the package’s @font-face rules, every font under this server’s versioned address, revalidated by ETag', async () => {
    for (const weight of ['400', '700']) {
      const r = await t.request('GET', `/fonts/noto-sans-sc/${weight}.css`)
      expect(r.status).toBe(200)
      expect(r.contentType).toBe('text/css; charset=utf-8')
      expect(r.headers.get('cache-control')).toBe('no-cache')
      expect(r.body).toContain("font-family: 'Noto Sans SC'")
      expect(r.body).toContain(`font-weight: ${weight};`)
      expect(r.body).toMatch(/unicode-range: U\+/)
      const urls = fontUrls(r.body)
      expect(urls.length).toBeGreaterThan(100)
      for (const u of urls) expect(u).toMatch(new RegExp(`^\\./${VERSION.replace(/\./g, '\\.')}/noto-sans-sc-[a-z0-9-]+-${weight}-normal\\.woff2?$`))
      const again = await rawGet(t.url, `/fonts/noto-sans-sc/${weight}.css`, { 'if-none-match': r.headers.get('etag')! })
      expect(again.status).toBe(304)
    }
  })

  it('when a subset it names is fetched, then it is the package’s woff2 file, typed font/woff2 and cacheable for a year', async () => {
    const css = (await t.request('GET', '/fonts/noto-sans-sc/400.css')).body as string
    const woff2 = fontUrls(css).filter((u) => u.endsWith('.woff2'))
    // The subset holding 部门预算 (and the page's other common characters) among them.
    for (const u of [woff2[0]!, woff2.at(-1)!]) {
      const res = await fetch(`${t.url}/fonts/noto-sans-sc/${u.slice(2)}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('font/woff2')
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      const bytes = Buffer.from(await res.arrayBuffer())
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('wOF2')
      expect(bytes.equals(readFileSync(join(PACKAGE_DIR, 'files', u.split('/').at(-1)!)))).toBe(true)
    }
  })

  it('when anything else under /fonts is asked for, then it is 404: other weights, other versions, the package’s own paths, traversal', async () => {
    for (const path of [
      `/fonts/noto-sans-sc/${VERSION}/noto-sans-sc-4-100-normal.woff2`,
      '/fonts/noto-sans-sc/0.0.0/noto-sans-sc-4-400-normal.woff2',
      '/fonts/noto-sans-sc/files/noto-sans-sc-4-400-normal.woff2',
      '/fonts/noto-sans-sc/100.css',
      '/fonts/noto-sans-sc/index.css',
      '/fonts/noto-sans-sc/package.json',
      `/fonts/noto-sans-sc/${VERSION}/..%2f..%2fpackage.json`,
      `/fonts/noto-sans-sc/${VERSION}/../../../package.json`,
      `/fonts/noto-sans-sc/${VERSION}/noto-sans-sc-4-400-normal.woff2/x`,
      '/fonts/noto-sans-sc/../../package.json',
      '/fonts/noto-sans-sc/%2e%2e/%2e%2e/package.json',
    ]) {
      const r = await rawGet(t.url, path)
      expect(r.status, path).toBe(404)
      expect(r.body, path).not.toContain('"dependencies"')
    }
  })
})
