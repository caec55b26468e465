import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHROMIUM_PATH_VARIABLE, findBrowser } from '../support/browser/browser'

/**
 * The browser of the dashboard tests comes from npm (@sparticuz/chromium), so that a bare machine
 * (no apt step, no libnss3, no fonts) runs them. This machine may have the libraries installed:
 * here the browser is checked to need none of them when its own copies are on the library path.
 */
describe('given the browser of the npm package @sparticuz/chromium', () => {
  it('when it is found, then it is inflated with its own libnss3, libnspr4 and libexpat, and fonts without any CJK font', async () => {
    const b = await findBrowser({})
    expect(b.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+$/)
    expect(existsSync(b.executablePath)).toBe(true)
    const libs = readdirSync(b.libDir!)
    for (const lib of ['libnss3.so', 'libnssutil3.so', 'libnspr4.so', 'libplc4.so', 'libplds4.so', 'libexpat.so.1', 'libsoftokn3.so', 'libfreeblpriv3.so'])
      expect(libs, lib).toContain(lib)
    expect(b.env.LD_LIBRARY_PATH!.split(':')[0]).toBe(b.libDir)
    // Its fontconfig sees only the package's Latin fonts: Chinese comes from the page's web font.
    const fontsConf = join(b.env.FONTCONFIG_PATH!, 'fonts.conf')
    expect(existsSync(fontsConf)).toBe(true)
  })

  it('when its own libraries come first on the library path, then every shared library it needs is found, the NSS ones in its own copy', async () => {
    const b = await findBrowser({})
    const ldd = spawnSync('ldd', [b.executablePath], { encoding: 'utf8', env: { PATH: process.env.PATH, LD_LIBRARY_PATH: b.env.LD_LIBRARY_PATH } })
    expect(ldd.status, ldd.stderr).toBe(0)
    expect(ldd.stdout).not.toContain('not found')
    const resolved = new Map([...ldd.stdout.matchAll(/^\s*(\S+) => (\S+)/gm)].map((m) => [m[1]!, m[2]!]))
    for (const lib of ['libnss3.so', 'libnssutil3.so', 'libnspr4.so', 'libplc4.so', 'libplds4.so', 'libexpat.so.1'])
      expect(resolved.get(lib), lib).toBe(join(b.libDir!, lib))
    // What it still takes from the machine is only what every glibc system has.
    const fromMachine = [...resolved].filter(([, path]) => !path.startsWith(b.libDir!)).map(([lib]) => lib)
    for (const lib of fromMachine) expect(lib).toMatch(/^(libc|libm|libdl|libpthread|libgcc_s)\.so\.\d+$/)
  })
})

describe(`given ${CHROMIUM_PATH_VARIABLE}`, () => {
  it('when it names a file that is not there, then finding the browser says so, naming the variable', async () => {
    await expect(findBrowser({ [CHROMIUM_PATH_VARIABLE]: '/nonexistent/chromium' })).rejects.toThrow(
      `${CHROMIUM_PATH_VARIABLE}=/nonexistent/chromium: no such file`,
    )
  })

  it('when it names a browser, then that one is used as it is, with none of the package’s libraries or fonts', async () => {
    const b = await findBrowser({ [CHROMIUM_PATH_VARIABLE]: process.execPath })
    expect(b).toEqual({ executablePath: process.execPath, source: `${CHROMIUM_PATH_VARIABLE}=${process.execPath}`, env: {} })
  })
})
