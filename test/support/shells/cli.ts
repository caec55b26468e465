import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { run } from '../../../src/cli/program'
import { extensions } from '../../../src/cli/extensions'

/** Runs the CLI in-process against a real store, capturing what it prints. */
export const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: { ...env } }, extensions)
  return { code, stdout, stderr }
}

export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const ROOT = resolve(__dirname, '..', '..', '..')

/** The CLI as a child process: the built bundle `npx budget-ledger` runs (npm run build first), with only PATH, HOME and TMPDIR of this environment. */
export const cliProcess = (argv: string[], env: Record<string, string> = {}): Promise<Ran> =>
  new Promise((done, fail) => {
    const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp' }
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'budget-ledger.js'), ...argv], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.on('error', fail)
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
  })

/**
 * The CLI, in-process when only SQLite is involved; as a child process when a store URL is
 * esdb://: openStore loads the EventStoreDB adapter with a lazy require(), which vitest's module
 * runner does not serve for TypeScript sources.
 */
export const ledger = (argv: string[]): Promise<Ran> => (argv.some((a) => a.startsWith('esdb://')) ? cliProcess(argv) : cli(argv))
