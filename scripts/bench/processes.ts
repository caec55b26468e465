import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startFlags } from '../../src/http/server/heap-sizing'

/**
 * Processes as users start them: the built CLI and server (`npm run build` first), measured from the
 * outside. Memory is the OS's figure (/proc/<pid>/status: VmRSS now, VmHWM the peak resident set),
 * never the process's own heapUsed, which leaves out code, buffers and the native heap.
 */
export const ROOT = join(__dirname, '..', '..')
export const CLI = join(ROOT, 'dist', 'budget-ledger.js')
export const SERVER = join(ROOT, 'dist', 'server.js')
/** The server's command line as `npm start` has it: node's flags (the young generation's hard cap), then the bundle. */
export const SERVER_START = [...startFlags(), SERVER]

/** The trees the bundles are built from (scripts/bundle.ts): a file of theirs newer than a bundle means dist is not the current source. */
export const SOURCES = ['src', 'projections'].map((d) => join(ROOT, d))

/**
 * The first source file changed after the oldest of `built`, if any. By modification time, as make
 * judges: a checkout or an edit touches the file, a build writes the bundles after it.
 */
export const newerSource = (built: ReadonlyArray<string>, sources: ReadonlyArray<string> = SOURCES): string | undefined => {
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs))
  for (const dir of sources)
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const path = join(dir, f)
      if (statSync(path).mtimeMs > builtAt) return path
    }
  return undefined
}

/**
 * The built CLI and server, from the current source: the bench measures what users run, and `npm
 * run bench` builds first; run another way, a missing or older build is refused rather than measured.
 */
export const requireBuild = (): void => {
  for (const f of [CLI, SERVER]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`)
  const newer = newerSource([CLI, SERVER])
  if (newer) throw new Error(`${newer} changed after dist was built: run \`npm run build\` first (the bench measures the built code)`)
}

const statusField = (pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined // the process has just exited
  }
}

/** Resident memory now, in MiB, from the OS. */
export const rssMb = (pid: number): number => {
  const v = statusField(pid, 'VmRSS')
  if (v === undefined) throw new Error(`process ${pid} has no /proc status (not Linux, or exited)`)
  return v
}

export interface TimedRun {
  readonly seconds: number
  /** Peak resident set (VmHWM), polled every few ms until exit; monotone, so the last reading is the peak so far. */
  readonly peakRssMb: number
  readonly stdout: string
}

/** Runs a process to its end: wall time from spawn to exit, and its peak resident memory; another exit code is an error. */
export const runTimed = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}, okCodes: ReadonlyArray<number> = [0]): Promise<TimedRun> =>
  new Promise((ok, fail) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let peak = 0
    let out = ''
    let err = ''
    const poll = setInterval(() => {
      peak = Math.max(peak, statusField(child.pid!, 'VmHWM') ?? 0)
    }, 2)
    child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')))
    child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')))
    child.once('error', fail)
    child.once('exit', (code) => {
      clearInterval(poll)
      const seconds = (performance.now() - t0) / 1000
      if (!okCodes.includes(code ?? -1)) fail(new Error(`${args.join(' ')} exited ${code}: ${err.slice(0, 400)}`))
      else ok({ seconds, peakRssMb: peak, stdout: out })
    })
  })

export interface RunningServer {
  readonly child: ChildProcess
  readonly url: string
  stop(): Promise<void>
}

/** Starts a process that prints "listening on http://…" (the built server, or the ceiling) and resolves at that line. */
export const startListening = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd?: string): Promise<RunningServer> =>
  new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
      })
    child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')))
    child.stdout!.on('data', (b: Buffer) => {
      if (out.includes('listening on')) return // any log from here on: read and dropped, as a log shipper would
      out += b.toString('utf8')
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) ok({ child, url: m[1]!, stop })
    })
    child.once('exit', (code) => fail(new Error(`${args.at(-1)} exited ${code} before listening: ${(out + err).slice(0, 600)}`)))
  })
