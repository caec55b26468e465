import { cli } from './cli'
import type { TestServer } from './http'

/** A local account made by the real CLI in the server's users file; returns its id and password. */
export const addPerson = async (t: TestServer, name: string, role: string): Promise<{ id: string; password: string }> => {
  const r = await cli(['users', 'add', '--name', name, '--role', role, '--json'], { LEDGER_USERS_FILE: t.usersFile })
  if (r.code !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}
