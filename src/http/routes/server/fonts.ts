import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { NextFunction, Request, Response } from 'express'
import { unlessAborted } from '../../responses/send-file'

/**
 * The dashboard's Chinese web font, Noto Sans SC from the npm package @fontsource/noto-sans-sc,
 * served by the app itself: the page then reads on a machine with no CJK font installed, and asks
 * no other server for anything. The package splits each weight into about a hundred unicode-range
 * subsets, so a browser downloads only the few its text needs.
 *
 *   /fonts/noto-sans-sc/400.css, 700.css             the package's @font-face rules, with their
 *                                                    font addresses moved under the version:
 *   /fonts/noto-sans-sc/<version>/<subset>.woff2     the subsets those rules name (and their .woff),
 *                                                    cacheable for a year: a new version is a new address
 *
 * Only the files the two style sheets name are served, looked up by exact name: no other path of
 * the package (or of the disk) can be reached.
 */
export const FONT_BASE = '/fonts/noto-sans-sc'
export const FONT_WEIGHTS = ['400', '700'] as const

const PACKAGE_DIR = dirname(require.resolve('@fontsource/noto-sans-sc/400.css'))
const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff' }
const YEAR_SECONDS = 365 * 24 * 3600

interface FontFiles {
  readonly version: string
  /** Style sheet name (400.css) → its text, font addresses rewritten. */
  readonly sheets: ReadonlyMap<string, string>
  /** Font file name → its path in the package. */
  readonly fonts: ReadonlyMap<string, string>
}

const load = (): FontFiles => {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
  const sheets = new Map<string, string>()
  const fonts = new Map<string, string>()
  for (const weight of FONT_WEIGHTS) {
    const css = readFileSync(join(PACKAGE_DIR, `${weight}.css`), 'utf8')
    const rewritten = css.replace(/url\(\.\/files\/([\w.-]+\.(?:woff2|woff))\)/g, (_, name: string) => {
      fonts.set(name, join(PACKAGE_DIR, 'files', name))
      return `url(./${version}/${name})`
    })
    sheets.set(`${weight}.css`, rewritten)
  }
  return { version, sheets, fonts }
}

let files: FontFiles | undefined

/** The fonts' middleware: GET and HEAD of the paths above; anything else falls through (404). */
export const fontAssets =
  () =>
  (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith(`${FONT_BASE}/`)) return next()
    files ??= load()
    const rest = req.path.slice(FONT_BASE.length + 1)
    const sheet = files.sheets.get(rest)
    if (sheet !== undefined) {
      // Same address across versions: revalidated each time, answered 304 while the version holds.
      res.setHeader('Cache-Control', 'no-cache')
      res.setHeader('ETag', `"noto-sans-sc-${files.version}-${rest}"`)
      if (req.fresh) {
        res.status(304).end()
        return
      }
      res.type('text/css; charset=utf-8').send(sheet)
      return
    }
    const [version, name, ...more] = rest.split('/')
    const path = version === files.version && more.length === 0 && name !== undefined ? files.fonts.get(name) : undefined
    if (path === undefined) return next()
    res.setHeader('Cache-Control', `public, max-age=${YEAR_SECONDS}, immutable`)
    res.type(FONT_TYPES[name!.slice(name!.lastIndexOf('.') + 1)]!)
    res.sendFile(path, { lastModified: false, etag: false, cacheControl: false }, unlessAborted(next))
  }
