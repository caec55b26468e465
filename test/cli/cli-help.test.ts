import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { displayWidth } from '../../projections/render'
import { dateInZone } from '../../src/domain/time/as-of'
import { packageRoot } from '../../src/package-root'
import { cli } from '../support/shells/cli'
import { tempDb } from '../support/ledgers/temp-db'

/** What a new user meets first: --version, and help that fits the terminal when it holds Chinese. */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

const helpOf = async (command: string[], columns: number) => {
  const r = await cli([...command, '--help'], { COLUMNS: String(columns) })
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
}

const commandNames = async (): Promise<string[]> => {
  const top = await helpOf([], 1000)
  const names = top
    .split('Commands:')[1]!
    .split('\n')
    .map((l) => /^ {2}([a-z-]+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help')
  expect(names.length).toBeGreaterThan(20)
  return names
}

describe('the command line help and version', () => {
  it('given the built binary, when asked --version, then it prints the version package.json declares', () => {
    const root = packageRoot()
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
    const r = spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), '--version'], { encoding: 'utf8', cwd: '/' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe(version)
  })

  it('when the help of every command is printed at 60, 80 and 100 columns, then no line is wider than that in display columns, and no line breaks between two CJK characters that stand together in the text', async () => {
    const commands = [[], ...(await commandNames()).map((n) => [n])]
    for (const command of commands) {
      // At a width nothing needs wrapping, the help is the text as written.
      const source = await helpOf(command, 10_000)
      for (const width of [60, 80, 100]) {
        const lines = (await helpOf(command, width)).split('\n')
        const where = (i: number) => `${command.join(' ') || '(program)'} at ${width} columns, line ${i + 1}: ${JSON.stringify(lines[i])}`
        lines.forEach((l, i) => expect(displayWidth(l), where(i)).toBeLessThanOrEqual(width))
        for (let i = 0; i + 1 < lines.length; i++) {
          const last = [...lines[i]!.trimEnd()].at(-1) ?? ''
          const first = [...lines[i + 1]!.trimStart()][0] ?? ''
          if (CJK.test(last) && CJK.test(first)) expect(source, `${where(i)} breaks 「${last}${first}」`).not.toContain(last + first)
        }
      }
    }
  })

  it('when spend is asked for help, then it marks --voucher as required; and without it commander names the missing option and nothing runs', async () => {
    const help = await helpOf(['spend'], 100)
    expect(help).toMatch(/--voucher <ref>\s+the voucher \(凭证号\)[^\n]*\(required\)/)
    const r = await cli(['spend', '--line', 'p01', '--amount', '1.00', '--reason', 'r'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("error: required option '--voucher <ref>' not specified")
  })

  it.each([
    ['open-year', ['--unit', '--year', '--reason', '--name']],
    ['allocate', ['--reason', '--line', '--kind', '--function-code', '--amount']],
    ['add', ['--reason', '--document', '--line', '--amount']],
    ['reduce', ['--reason', '--document', '--line', '--amount']],
    ['transfer', ['--reason', '--document', '--from', '--to', '--amount']],
    ['spend', ['--reason', '--line', '--amount', '--voucher']],
    ['reverse', ['--reason', '--event']],
    ['set-earmark', ['--reason', '--earmark', '--amount']],
  ])('when %s is asked for help, then it marks as required exactly the options the command cannot do without', async (command, required) => {
    const help = await helpOf([command], 10_000)
    const marked = help
      .split('\n')
      .filter((l) => /\(required\)$/.test(l))
      .map((l) => /^ {2}(--[a-z-]+)/.exec(l)?.[1])
    expect(marked.sort()).toEqual([...required].sort())
  })

  it('when add is given no --amount, then commander names --amount, exits 2, and no ledger file is created at a fresh --db', async () => {
    const db = tempDb('ledger-required-')
    try {
      const r = await cli(['--db', db.path, 'add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--reason', '追加', '--document', '财〔2021〕1号'])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("error: required option '--amount <amount>' not specified")
      expect(r.stdout).toBe('')
      expect(existsSync(db.path)).toBe(false)
    } finally {
      db.remove()
    }
  })

  it("when a finance command has no --date, then its business date is today in the ledger's time zone, as its help says", async () => {
    expect(await helpOf(['add'], 10_000)).toMatch(/--date <YYYY-MM-DD>\s+business date \(default: today in the ledger time zone: LEDGER_TIME_ZONE, else Asia\/Shanghai\)/)
    // Kiritimati (UTC+14) and Pago Pago (UTC-11) are never on the same date: one of them is not the machine's.
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const db = tempDb('ledger-date-')
      try {
        expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
        const today = dateInZone(Date.now(), zone)
        const r = await cli(['--db', db.path, 'add', '--line', 'p01', '--amount', '1.00', '--reason', '追加', '--document', '财〔2021〕1号', '--dry-run'], { LEDGER_TIME_ZONE: zone, LEDGER_ACTOR: 'tester' })
        // Today is outside the 2021 budget year: the refusal names the date the command was given.
        expect(r.code, r.stderr).toBe(1)
        expect(r.stderr).toContain(today)
      } finally {
        db.remove()
      }
    }
  })
})
