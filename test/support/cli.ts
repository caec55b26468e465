import { run } from '../../src/cli/program'
import { extensions } from '../../src/cli/extensions'

/** Runs the CLI in-process against a real store, capturing what it prints. */
export const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: { ...env } }, extensions)
  return { code, stdout, stderr }
}
