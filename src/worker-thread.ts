import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname, join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { packageRoot } from './package-root'

/**
 * A worker thread running module `name` (the commit worker, the read thread): the module beside its
 * caller in `dir` (tsc's dist/src/…, or the TypeScript source when run through tsx or vitest), or,
 * from a bundle (dist/server.js, dist/bundles/cli.js), its own bundle dist/<name>.js
 * (scripts/bundle.ts).
 */
export const startWorker = (dir: string, name: string, workerData: unknown): Worker => {
  // Required here, not at load: a command that starts no thread (most cold CLI reads) is spared loading the worker machinery.
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads')
  const ext = extname(__filename)
  const beside = join(dir, `${name}${ext}`)
  const entry = existsSync(beside) ? beside : join(packageRoot(), 'dist', `${name}.js`)
  if (ext === '.js') return new Worker(entry, { workerData })
  // Resolved from here, not from the process's working folder (a server runs in its data folder).
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)})`, { eval: true, workerData })
}
