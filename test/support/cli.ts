import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { run } from '../../src/cli/program'
import { extensions } from '../../src/cli/extensions'

/** Runs the CLI in-process against a real store, capturing what it prints. */
export const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: { ...env } }, extensions)
  return { code, stdout, stderr }
}

/**
 * The CLI, in-process when only SQLite is involved; as a child process (node -r tsx/cjs, like
 * `npx budget-ledger`) when a store URL is esdb://: openStore loads the EventStoreDB adapter with
 * a lazy require(), which vitest's module runner does not serve for TypeScript sources.
 */
const ROOT = resolve(__dirname, '..', '..')
export const ledger = (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  if (!argv.some((a) => a.startsWith('esdb://'))) return cli(argv)
  return new Promise((done, fail) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp' }
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/cli/main.ts'), ...argv], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.on('error', fail)
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }))
  })
}
