import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { packageRoot } from '../../../src/package-root'
import { type LaunchedBrowser, launchBrowser } from './browser'
import { type TestServer, startServer } from '../shells/http'
import { signInOnPage } from './page'
import { addPerson } from '../shells/people'

/** Where the page tests put the screenshots a person looks at. */
export const OUT = join(packageRoot(), 'test-output')
export const DESKTOP = { width: 1440, height: 900 } as const
export const PHONE = { width: 390, height: 844 } as const

/** The texts of the shown table's body cells, row by row. */
export const gridOf = (page: Page) =>
  page.$$eval('#table table.grid tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))

type ServerOptions = NonNullable<Parameters<typeof startServer>[0]>
type BrowserOptions = NonNullable<Parameters<typeof launchBrowser>[0]>

export interface PageRigOptions {
  /** The first server's options, or a function giving them when the rig starts (after earlier hooks). */
  readonly server?: ServerOptions | (() => ServerOptions)
  /** Context options beside the desktop viewport and zh-CN locale. */
  readonly browser?: BrowserOptions
  /** Local accounts made on every server the rig starts: [name, role]. */
  readonly people?: ReadonlyArray<readonly [string, string]>
  /** What the first server holds before the tests (after its people). */
  readonly given?: (t: TestServer) => Promise<unknown>
  /** False for a rig whose servers are all started by its tests (`another`). */
  readonly startFirst?: boolean
}

export interface PageRig {
  /** The first server (started before the tests), standing for it from describe time on. */
  readonly t: TestServer
  readonly browser: LaunchedBrowser
  readonly context: BrowserContext
  /** The password of each person of `people`, by server. */
  passwordOf(name: string, server?: TestServer): string
  /** A further server with the rig's people, checked and closed with the rest. */
  another(options?: ServerOptions): Promise<TestServer>
  /** A fresh page, whose uncaught errors are kept for errorsOf. */
  newPage(): Promise<Page>
  /** The uncaught errors of a page the rig opened, from its first load on. */
  errorsOf(page: Page): string[]
  /** A fresh page on a server (the first by default) signed in as name through the sign-in panel. */
  signedIn(name: string, options?: { server?: TestServer; path?: string }): Promise<Page>
}

/**
 * A real browser and real servers (each over its own SQLite file) for the tests of one describe
 * block: started before them, and afterwards each server checked to have logged no error, then all
 * closed. What it holds is there only inside the tests (and `given`), though `t` may be taken before.
 */
export const pageRig = (options: PageRigOptions = {}): PageRig => {
  let browser: LaunchedBrowser | undefined
  const servers: TestServer[] = []
  const passwords = new Map<TestServer, Map<string, string>>()
  const errors = new WeakMap<Page, string[]>()
  const running = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`the page rig's ${what} runs only inside the tests of its describe block`)
    return x
  }

  const another = async (serverOptions: ServerOptions = {}) => {
    const t = await startServer(serverOptions)
    servers.push(t)
    const people = new Map<string, string>()
    passwords.set(t, people)
    for (const [name, role] of options.people ?? []) people.set(name, (await addPerson(t, name, role)).password)
    return t
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true })
    // The browser first: inflating it the first time is the slow part, and no server waits on it.
    browser = await launchBrowser({ viewport: DESKTOP, locale: 'zh-CN', ...options.browser })
    if (options.startFirst === false) return
    const t = await another(typeof options.server === 'function' ? options.server() : options.server)
    await options.given?.(t)
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    for (const t of servers.splice(0)) {
      expect(t.logged).toEqual([])
      await t.close()
    }
  })

  // The first server, as a stand-in that can be taken at describe time (`const { t } = rig`).
  const first = new Proxy({} as TestServer, { get: (_, key) => Reflect.get(running(servers[0], 'server'), key) })
  const real = (server: TestServer) => (server === first ? running(servers[0], 'server') : server)
  const rig: PageRig = {
    t: first,
    get browser() {
      return running(browser, 'browser')
    },
    get context() {
      return running(browser, 'browser').context
    },
    passwordOf: (name, server = first) => running(passwords.get(real(server))?.get(name), `person ${name}`),
    another,
    async newPage() {
      const page = await rig.context.newPage()
      const seen: string[] = []
      errors.set(page, seen)
      page.on('pageerror', (e) => seen.push(e.message))
      return page
    },
    errorsOf: (page) => running(errors.get(page), 'page'),
    async signedIn(name, o = {}) {
      const server = o.server ?? rig.t
      // The servers share the host, so one's session cookie is dropped before signing in on another.
      await rig.context.clearCookies()
      const page = await rig.newPage()
      await signInOnPage(page, `${server.url}${o.path ?? '/'}`, name, rig.passwordOf(name, server))
      return page
    },
  }
  return rig
}
