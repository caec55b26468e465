/**
 * `npm run build`, after tsc: the CLI and the server each as ONE file (dist/budget-ledger.js,
 * dist/server.js), what `npx budget-ledger` and `npm start` run. A cold start of the tsc output
 * spent over half its time finding, reading and compiling some 400 modules (docs/speed.md,
 * "Cold start"); one file is one read and one compile.
 *
 * Stays outside the bundle, required from node_modules only where used: the native driver
 * (better-sqlite3), and the heavy packages a given command or the server alone needs
 * (EventStoreDB client, exceljs, prom-client, pino, express, openid-client). Files read at run time
 * (reference code lists, the sample, the dashboard, the export header layout) are found from the
 * package root (src/package-root.ts), which is the bundle's parent folder as it was dist/src's.
 */
import { buildSync } from 'esbuild'
import { packageRoot } from '../src/package-root'

const ROOT = packageRoot()

/** Loaded lazily by the code that needs them, never at start; see above. The last two are files the server sends, found with require.resolve. */
export const EXTERNAL = ['better-sqlite3', '@eventstore/db-client', 'exceljs', 'prom-client', 'pino', 'express', 'openid-client', 'echarts', '@fontsource/noto-sans-sc']

export const BUNDLES = {
  cli: { entry: 'src/cli/main.ts', out: 'dist/budget-ledger.js' },
  server: { entry: 'src/http/server/main.ts', out: 'dist/server.js' },
} as const

for (const { entry, out } of Object.values(BUNDLES)) {
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}
