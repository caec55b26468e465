import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

/**
 * The browser of the dashboard tests. By default the chrome-headless-shell inside the npm package
 * @sparticuz/chromium, so that `npm ci && npm test` needs no apt step, no system browser and no
 * system fonts; CHROMIUM_PATH=/usr/bin/chromium (or any other chromium) picks that one instead.
 */
export const CHROMIUM_PATH_VARIABLE = 'CHROMIUM_PATH'

/** What a sandboxed run needs: no sandbox, no GPU, nothing that reaches for the network. */
export const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface FoundBrowser {
  readonly executablePath: string
  /** Where it came from, for messages. */
  readonly source: string
  /** Extra environment of the browser process (the package's own libraries and fonts). */
  readonly env: Readonly<Record<string, string>>
  /** The package's own shared libraries (libnss3 & co.), when it is the package's browser. */
  readonly libDir?: string
}

const PACKAGE_DIR = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..')
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version
/** One inflated copy per package version, shared by every run on the machine. */
export const INFLATED_DIR = join(tmpdir(), `budget-ledger-chromium-${PACKAGE_VERSION}`)

/**
 * The package inflates its brotli files into os.tmpdir(): here a private staging folder, renamed
 * into place whole, so that runs in parallel never start half a browser. It unpacks its own
 * libnss3, libnspr4 and libexpat (al2023.tar.br) only when it believes it runs on AWS Lambda; they
 * are asked for on every machine, since a bare Debian lacks them and the browser then cannot start.
 */
const inflate = async (): Promise<string> => {
  if (existsSync(join(INFLATED_DIR, 'chromium'))) return INFLATED_DIR
  const staging = mkdtempSync(join(tmpdir(), 'budget-ledger-chromium-staging-'))
  const saved = { TMPDIR: process.env.TMPDIR, AWS_EXECUTION_ENV: process.env.AWS_EXECUTION_ENV }
  try {
    process.env.TMPDIR = staging
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x'
    // An ES module (its CommonJS build has the same code): imported, not required.
    const { default: Chromium } = await import('@sparticuz/chromium')
    await Chromium.executablePath(join(PACKAGE_DIR, 'bin'))
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  // The package's fonts.conf names /tmp/fonts; this one names where the fonts are, and nothing
  // else, so that the page draws Chinese only if it brings its own font, as on a bare machine.
  writeFileSync(
    join(staging, 'fonts', 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(INFLATED_DIR, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(INFLATED_DIR, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
  )
  try {
    renameSync(staging, INFLATED_DIR)
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    // Another run got there first: its copy is whole, since it appeared in one rename.
    if (!existsSync(join(INFLATED_DIR, 'chromium'))) throw err
  }
  return INFLATED_DIR
}

/** The browser to drive: CHROMIUM_PATH when set, else the npm package's (inflated on first use). */
export const findBrowser = async (env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> => {
  const chosen = env[CHROMIUM_PATH_VARIABLE]
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen)) throw new Error(`${CHROMIUM_PATH_VARIABLE}=${chosen}: no such file (unset it to use the browser of @sparticuz/chromium)`)
    return { executablePath: chosen, source: `${CHROMIUM_PATH_VARIABLE}=${chosen}`, env: {} }
  }
  const dir = await inflate()
  const libDir = join(dir, 'al2023', 'lib')
  const libraryPath = [libDir, ...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : [])].join(':')
  return {
    executablePath: join(dir, 'chromium'),
    source: `@sparticuz/chromium ${PACKAGE_VERSION}`,
    env: { LD_LIBRARY_PATH: libraryPath, FONTCONFIG_PATH: join(dir, 'fonts') },
    libDir,
  }
}

export interface LaunchedBrowser {
  readonly context: BrowserContext
  readonly browser: FoundBrowser
  /** Closes the browser and removes its profile. */
  close(): Promise<void>
}

type ContextOptions = Omit<NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>, 'executablePath' | 'args' | 'env' | 'headless'>

/** A browser with a fresh profile (--user-data-dir), driven by playwright-core. */
export const launchBrowser = async (options: ContextOptions = {}): Promise<LaunchedBrowser> => {
  const browser = await findBrowser()
  const profile = mkdtempSync(join(tmpdir(), 'ledger-chromium-profile-'))
  try {
    const context = await chromium.launchPersistentContext(profile, {
      ...options,
      executablePath: browser.executablePath,
      headless: true,
      args: BROWSER_ARGS,
      env: { ...process.env, ...browser.env },
    })
    return {
      context,
      browser,
      async close() {
        await context.close()
        rmSync(profile, { recursive: true, force: true })
      },
    }
  } catch (err) {
    rmSync(profile, { recursive: true, force: true })
    throw new Error(`cannot start the browser (${browser.source}): ${err instanceof Error ? err.message : String(err)}`)
  }
}
