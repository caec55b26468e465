/**
 * `npm run build`, after tsc: the CLI and the server each as ONE file. A cold start of the tsc
 * output spent over half its time finding, reading and compiling some 400 modules (docs/speed.md,
 * "Cold start"); one file is one read and one compile. `npx budget-ledger` runs dist/budget-ledger.js
 * (src/start/cli.ts), which runs dist/bundles/cli.js with V8's compiled code kept across runs
 * (7-17 % less CPU a command). `npm start` runs dist/server.js, the bundle itself: a code cache made
 * the server's start no faster and its memory 13 MB larger.
 *
 * The SQLite driver's JavaScript (better-sqlite3) is inside every bundle; its compiled addon stays
 * in node_modules and is loaded by path (src/store/sqlite/sqlite-driver.ts, which resolves the driver's
 * package.json for it): finding the driver's files and its addon was up to a tenth of a cold
 * command (docs/speed.md, "Cold CLI margin"). `bindings`, the driver's own search for the addon,
 * is never called with that path given, so it stays out.
 *
 * Stays outside the bundles, required from node_modules only by the code that needs it: the
 * EventStoreDB client, exceljs, openid-client (an ES module, imported when OIDC is set up), pino
 * (its transports run files of their own), and the two packages whose files the server sends
 * (found with require.resolve). express and prom-client are in the server's bundle, which always
 * loads them (a sixth of its start was finding and reading their ~100 files), and outside the
 * CLI's, which never does. Files read at run time (reference code lists, the sample, the
 * dashboard, the export header layout) are found from the package root
 * (src/package-root.ts): the bundles' parent folder, as it was dist/src's.
 */
import { buildSync } from 'esbuild'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/package-root'

const ROOT = packageRoot()

const OUTSIDE = ['bindings', 'better-sqlite3/package.json', '@eventstore/db-client', 'exceljs', 'openid-client', 'pino', 'echarts', '@fontsource/noto-sans-sc']

export const BUNDLES = {
  cli: { entry: 'src/cli/main.ts', out: 'dist/bundles/cli.js', external: [...OUTSIDE, 'express', 'prom-client'] },
  server: { entry: 'src/http/server/main.ts', out: 'dist/server.js', external: OUTSIDE },
  cliStart: { entry: 'src/start/cli.ts', out: 'dist/budget-ledger.js', external: [] },
  // Group commits of a SQLite file run on a worker thread (src/store/sqlite-write/sqlite-committer.ts), which loads this file.
  commitWorker: { entry: 'src/store/sqlite-write/sqlite-commit-worker.ts', out: 'dist/sqlite-commit-worker.js', external: OUTSIDE },
  // A long range of a SQLite file is read on a thread of its own (src/ledger/read-path/read-thread.ts), which loads this file.
  readThread: { entry: 'src/ledger/read-path/read-thread-worker.ts', out: 'dist/read-thread-worker.js', external: [...OUTSIDE, 'express', 'prom-client'] },
} as const

// The code caches of the bundles built before: keyed by their bytes, never read again.
rmSync(join(ROOT, 'dist', 'bundles', 'code-cache'), { recursive: true, force: true })

for (const { entry, out, external } of Object.values(BUNDLES)) {
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // fp-ts and io-ts as ES modules: no CommonJS interop copying each module's exports at every import.
    mainFields: ['module', 'main'],
    external: [...external],
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}
