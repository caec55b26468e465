import { Worker } from 'node:worker_threads'

/**
 * Reading a long stream of the SQLite file on a second thread, so that the thread that folds the
 * events only parses them. A full rebuild spends about as long stepping SQLite rows into JS
 * strings as it does folding: on two cores the two halves overlap.
 *
 * The reader thread opens its own read-only connection to the file and answers each request for
 * a page of revisions with one string: the page as a JSON array of rows, built by SQLite itself
 * (the payload column is JSON text already, so it is spliced in as it is). One JSON.parse per page
 * on the folding thread costs no more than parsing the payloads one by one, and a string crosses
 * threads as a plain copy: no structured clone of a million objects.
 *
 * Each page is its own read: on an append-only stream whose revisions are contiguous, pages read at
 * different moments still join into one prefix of the stream. A page shorter than asked is the end.
 */

/** One row of a page: the envelope's first 69 characters carry the two dates (stream-reader.ts). */
export type PageRow = [revision: number, id: string, type: string, data: unknown, metadataPrefix: string]

export interface ReadAheadOptions {
  /** Events per page (default 1000). */
  readonly pageSize?: number
  /** Pages requested ahead of the one being folded (default 4): bounds the memory held. */
  readonly ahead?: number
}

export const PAGE_QUERY = `SELECT count(*), '[' || coalesce(group_concat(
    '[' || revision || ',' || json_quote(id) || ',' || json_quote(type) || ',' || data || ',' || json_quote(substr(metadata, 1, 69)) || ']',
    ',' ORDER BY revision), '') || ']'
  FROM events WHERE stream = ? AND revision >= ? AND revision <= ?`

// Plain CommonJS run by the worker (eval): no file of its own to resolve under tsx, vitest or dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const failed = (from, err) => parentPort.postMessage({ from, error: String((err && err.message) || err) })
let page
try {
  const Database = require(workerData.driver)
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 10000')
  page = db.prepare(workerData.query).raw()
} catch (err) {
  failed(-1, err)
}
parentPort.on('message', ({ from, to }) => {
  if (!page) return
  try {
    const [count, text] = page.get(workerData.stream, from, to)
    parentPort.postMessage({ from, count, text })
  } catch (err) {
    failed(from, err)
  }
})
`

interface PageMessage {
  readonly from: number
  readonly count?: number
  readonly text?: string
  readonly error?: string
}

const parsePage = (text: string, stream: string, from: number): PageRow[] => {
  try {
    return JSON.parse(text) as PageRow[]
  } catch (err) {
    throw new Error(`the events of ${stream} from revision ${from} on are not all stored as JSON (${err instanceof Error ? err.message : String(err)})`)
  }
}

/**
 * Calls `onPage` with the rows of revisions fromRevision..toRevision of `stream` in `file`, page
 * after page in revision order, while the reader thread reads the next pages. Resolves when the
 * range or the stream ends; rejects on a read error or when `onPage` throws.
 */
export const readAhead = async (
  file: string,
  stream: string,
  fromRevision: number,
  toRevision: number,
  onPage: (rows: ReadonlyArray<PageRow>, from: number) => void,
  options: ReadAheadOptions = {},
): Promise<void> => {
  const pageSize = options.pageSize ?? 1000
  const ahead = options.ahead ?? 4
  if (!(pageSize >= 1 && ahead >= 1)) throw new Error(`invariant: read-ahead needs pageSize ≥ 1 and ahead ≥ 1, got ${pageSize} and ${ahead}`)
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), file, stream, query: PAGE_QUERY },
  })
  const arrived: PageMessage[] = []
  let failure: Error | undefined
  let wake: (() => void) | undefined
  worker.on('message', (m: PageMessage) => {
    arrived.push(m)
    wake?.()
  })
  worker.on('error', (err) => {
    failure = err
    wake?.()
  })
  worker.on('exit', (code) => {
    failure ??= new Error(`the stream reader thread stopped (exit code ${code})`)
    wake?.()
  })
  const next = async (): Promise<PageMessage> => {
    while (arrived.length === 0) {
      if (failure) throw failure
      await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
    return arrived.shift()!
  }

  let requested = fromRevision
  const request = () => {
    if (requested > toRevision) return
    const to = Math.min(toRevision, requested + pageSize - 1)
    worker.postMessage({ from: requested, to })
    requested = to + 1
  }
  try {
    for (let i = 0; i < ahead; i++) request()
    let expected = fromRevision
    while (expected <= toRevision) {
      const m = await next()
      if (m.error !== undefined) throw new Error(m.from < 0 ? `opening ${file} to read ${stream}: ${m.error}` : `reading ${stream} from revision ${m.from}: ${m.error}`)
      if (m.from !== expected || m.count === undefined || m.text === undefined) throw new Error(`invariant: page from ${m.from} arrived where ${expected} was due`)
      if (m.count === 0) return
      request()
      const rows = parsePage(m.text, stream, expected)
      // Revisions of a stream are contiguous: a page that is not is a damaged file, not a page.
      if (rows.length !== m.count || rows[0]![0] !== expected || rows.at(-1)![0] !== expected + m.count - 1)
        throw new Error(`invariant: the page of ${stream} from revision ${expected} is not contiguous`)
      onPage(rows, expected)
      expected += m.count
      if (m.count < Math.min(pageSize, toRevision - m.from + 1)) return
    }
  } finally {
    worker.removeAllListeners('exit')
    await worker.terminate()
  }
}
