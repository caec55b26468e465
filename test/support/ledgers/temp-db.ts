import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh folder with a path for a real SQLite file; remove() deletes it all. */
export const tempDb = (prefix = 'ledger-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, path: join(dir, 'ledger.db'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}
