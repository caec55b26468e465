import { createHash } from 'node:crypto'
import { type BigIntStats, closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void

/**
 * Where the compiled code of `bundle` is kept for this node: beside it, keyed by the file's identity
 * and change time instead of a hash of its bytes (which cost every start a read and a SHA-256 of the
 * whole bundle). The key must change whenever the bytes do, because V8 checks a cache against the
 * source's length only, and runs the old code for new source of the same length
 * (test/cli/cli-bundle.test.ts). Size and mtime alone do not ensure that (npm gives every file of a
 * package the same mtime; `cp -p` and `touch -d` set it at will); the ctime, in nanoseconds, moves on
 * every write or replacement of the file and cannot be set back, and the inode tells a new file
 * from the one it replaced.
 */
export const codeCacheFile = (bundle: string, s: BigIntStats): string => {
  const key = createHash('sha256').update(`${s.dev} ${s.ino} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${process.version} ${process.arch}`).digest('hex').slice(0, 16)
  return join(dirname(bundle), 'code-cache', `${basename(bundle, '.js')}-${key}.bin`)
}

/**
 * Runs the CommonJS bundle `bundle` as the module `main` (the entry file node was started with),
 * with V8's compiled code kept across runs: Node 20 has no module.enableCompileCache, and compiling
 * the bundle was up to a third of a cold command (docs/speed.md, "Cold start"). Used by the CLI
 * only: the server, whose cache holds every handler it compiled, started no faster with it.
 *
 * The cache sits in code-cache/ beside the bundle, never in a shared temporary folder: V8 trusts
 * cached code, so it must be as trusted as the bundle. It is written after the run, so that the
 * functions the command compiled are in it too. A cache V8 rejects (another node, other flags) is
 * rewritten; one that cannot be read or written costs a slower start, never an error.
 */
export const runWithCodeCache = (bundle: string, main: NodeJS.Module): void => {
  const { text, stats } = readBundle(bundle)
  // A bundle written while it was read has no key: it runs without a cache.
  const cacheFile = stats && codeCacheFile(bundle, stats)
  // The bundle's #! line would not parse inside the wrapper; kept as a comment so lines still match the source map.
  const source = text.startsWith('#!') ? `//${text}` : text
  let cachedData: Buffer | undefined
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined
  } catch {
    cachedData = undefined
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, ...(cachedData ? { cachedData } : {}) })
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected === true)) process.once('exit', () => keep(cacheFile, script))
  const run = script.runInThisContext() as CommonJsWrapper
  run.call(main.exports, main.exports, createRequire(bundle), main, bundle, dirname(bundle))
}

/** The bundle's text and the stats of the very file read, unless it changed while being read. */
const readBundle = (bundle: string): { text: string; stats: BigIntStats | undefined } => {
  const fd = openSync(bundle, 'r')
  try {
    const before = fstatSync(fd, { bigint: true })
    const text = readFileSync(fd, 'utf8')
    const after = fstatSync(fd, { bigint: true })
    return { text, stats: before.ctimeNs === after.ctimeNs && before.size === after.size ? after : undefined }
  } finally {
    closeSync(fd)
  }
}

const keep = (cacheFile: string, script: Script): void => {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true })
    // Written aside and renamed: a process starting meanwhile reads the old cache or the whole new one.
    const part = `${cacheFile}.${process.pid}`
    writeFileSync(part, script.createCachedData())
    renameSync(part, cacheFile)
  } catch {
    // A slower next start, nothing more.
  }
}
