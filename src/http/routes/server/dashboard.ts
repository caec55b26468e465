import { readdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { HEADER_LAYOUT_FILE } from '../../../export/layout'
import { packageRoot } from '../../../package-root'
import type { TokenEntry } from '../../access/tokens'
import { fontAssets } from './fonts'
import { unlessAborted } from '../../responses/send-file'

/**
 * The dashboard page: plain HTML, CSS and JS with no build step, served from the package root
 * (src/http/dashboard), so `npm start` serves it from the built server too (dist/ holds only tsc
 * output). Static files, not API routes: they carry no data and need no token; the page reads the
 * API with the dashboard token the user gives it (docs/dashboard.md).
 *
 *   /                             the page
 *   /dashboard/<module>.js        its ES modules (main.js joins them), text/javascript; grouped one
 *                                 folder deep by what they are: core/ (API calls, state, the page's
 *                                 elements), wording/ (amounts, names, times as read), sign-in/,
 *                                 read/ (which year and moment), figures/ (tables, indicators, charts,
 *                                 report, downloads), record/ (forms), audit/ (explain, history), imports/
 *   /dashboard/style.css          its style sheet
 *   /dashboard/header-layout.js   the official multi-level headers, shared with the XLSX export
 *   /vendor/echarts.min.js        Apache ECharts, from node_modules
 *   /fonts/noto-sans-sc/*         its Chinese web font, from node_modules (fonts.ts)
 */
export const DASHBOARD_DIR = join(packageRoot(), 'src', 'http', 'dashboard')
export const ECHARTS_FILE = require.resolve('echarts/dist/echarts.min.js')

/** The page may load scripts only from this server; ECharts' tooltips set inline styles. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const headers = (res: Response): void => {
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cache-Control', 'no-cache')
}

/**
 * The page's own files, by name, read once from its folder and its groups one level down: a request
 * for any other path (another name, a deeper folder, an encoded ../) is not one of them and falls
 * through to a 404.
 */
const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }
const typeOf = (name: string): string | undefined => TYPES[name.slice(name.lastIndexOf('.'))]
const PAGE_FILE = /^(?:[a-z][a-z0-9-]*\/)?[a-z][a-z0-9-]*\.(js|css)$/
export const DASHBOARD_FILES: ReadonlyMap<string, string> = new Map(
  readdirSync(DASHBOARD_DIR, { recursive: true, encoding: 'utf8' })
    .map((name) => name.split(sep).join('/'))
    .filter((name) => PAGE_FILE.test(name))
    .map((name) => [`/dashboard/${name}`, name]),
)

const file =
  (path: string, type?: string) =>
  (req: Request, res: Response, next: NextFunction): void => {
    headers(res)
    if (type) res.type(type)
    res.sendFile(path, { dotfiles: 'deny', lastModified: true }, unlessAborted(next))
  }

/** Middleware for the page and its assets; GET and HEAD only, anything else falls through. */
export const dashboardAssets = (): Router => {
  const router = express.Router({ caseSensitive: true, strict: true })
  const only = (handler: (req: Request, res: Response, next: NextFunction) => void) => (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD' ? handler(req, res, next) : next()
  router.use((req, res, next) => {
    if (req.path === '/' || req.path === '/index.html') return only(file(join(DASHBOARD_DIR, 'index.html'), 'html'))(req, res, next)
    if (req.path === '/dashboard/header-layout.js') return only(file(HEADER_LAYOUT_FILE, TYPES['.js']))(req, res, next)
    if (req.path === '/vendor/echarts.min.js') return only(file(ECHARTS_FILE, TYPES['.js']))(req, res, next)
    next()
  })
  router.use((req, res, next) => {
    const name = DASHBOARD_FILES.get(req.path)
    if (name === undefined) return next()
    only(file(join(DASHBOARD_DIR, name), typeOf(name)))(req, res, next)
  })
  router.use(fontAssets())
  return router
}

/**
 * The line `npm start` prints for the dashboard. On a terminal it is the address with the
 * dashboard token in the fragment (#token=…: a browser never sends a fragment to the server, and
 * the page moves it into localStorage and out of the address bar), when the token is known in plain
 * text (a file keeps only hashes). When the output goes anywhere else (a log file, a service manager,
 * CI) this line never holds a token.
 */
export const dashboardLine = (base: string, tokens: ReadonlyArray<TokenEntry>, terminal: boolean): string => {
  const dashboard = tokens.filter((t) => t.role === 'dashboard')
  if (dashboard.length === 0) return `  dashboard: ${base}/  (no token has the dashboard role: add one to open it)`
  if (!terminal) return `  dashboard: ${base}/  (paste a dashboard token there; the address holds one only on a terminal)`
  // A token kept only as its hash cannot be printed: the person who was shown it pastes it.
  const token = dashboard.find((t) => t.token !== undefined)?.token
  if (token === undefined) return `  dashboard: ${base}/  (paste a dashboard token there: only its hash is kept)`
  return `  dashboard: ${base}/#token=${token}`
}
