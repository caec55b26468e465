import type { Request, Response } from 'express'
import type { Handler } from '../lane'

/**
 * A lean reader of the one JSON body every command sends (docs/speed.md, "Writes at 64, again"):
 * `Content-Type: application/json` (charset utf-8 or none), not compressed, its length declared
 * and within the limit. It reads the bytes, checks them as UTF-8 and parses them as body-parser
 * does, with the same outcomes and the same error types and messages (test/http/requests/json-body.test.ts
 * compares the two on good and bad bodies); it only skips body-parser's generic steps (the media
 * type parsed twice, the charset looked up, the stream read through raw-body and iconv), which
 * were about 7 % of the server thread's time per command under 64 writers. Every other request
 * (another media type or charset spelling, a Content-Encoding, chunked, over the limit) goes to
 * body-parser (`general`) untouched, so its answers there do not change.
 */
export const jsonBody = (limitBytes: number, verify: (req: Request, res: Response, bytes: Buffer, encoding: string) => void, general: Handler): Handler => (req, res, next) => {
  const length = plainLength(req, limitBytes)
  if (length === undefined) return general(req, res, next)
  readBytes(req, length, (error, bytes) => {
    if (error) return next(error)
    try {
      verify(req, res, bytes!, 'utf-8')
    } catch (err) {
      // As body-parser passes a refusal of `verify` on (http-errors' createError(403, err, …)).
      const e = err as { status?: number; statusCode?: number; type?: string }
      const status = e.status ?? e.statusCode ?? 403
      return next(Object.assign(err as Error, { status, statusCode: status, expose: status < 500, type: e.type ?? 'entity.verify.failed' }))
    }
    try {
      req.body = parseStrict(bytes!.toString('utf8'))
    } catch (err) {
      return next(Object.assign(err as Error, { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' }))
    }
    next()
  })
}

/** JSON in UTF-8, the type as a client writes it plainly; anything fancier is body-parser's to read. */
const PLAIN_JSON = /^application\/json(;[ \t]*charset=(utf-8|"utf-8"))?$/i

/** The declared length of a body the lean reader takes, or undefined when body-parser is to read it. */
const plainLength = (req: Request, limitBytes: number): number | undefined => {
  const h = req.headers
  const declared = h['content-length']
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined || declared === undefined || !/^\d{1,9}$/.test(declared)) return undefined
  // A body already read (not readable) is body-parser's to skip, as it does.
  if (!PLAIN_JSON.test(h['content-type'] ?? '') || !req.readable) return undefined
  const length = Number(declared)
  return length <= limitBytes ? length : undefined
}

/**
 * The body's bytes, or the error body-parser's raw-body gives when the request ends before them
 * (400 request.aborted: the app answers "could not be read").
 */
const readBytes = (req: Request, length: number, done: (error: Error | undefined, bytes?: Buffer) => void): void => {
  const chunks: Buffer[] = []
  let size = 0
  const onData = (chunk: Buffer) => {
    chunks.push(chunk)
    size += chunk.length
  }
  const finish = (error: Error | undefined) => {
    req.off('data', onData).off('end', onEnd).off('error', onLost).off('close', onLost)
    if (error || size !== length) return done(error ?? aborted())
    done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
  }
  const onEnd = () => finish(undefined)
  const onLost = () => finish(aborted())
  req.on('data', onData).on('end', onEnd).on('error', onLost).on('close', onLost)
}

const aborted = () => Object.assign(new Error('request aborted'), { status: 400, statusCode: 400, expose: true, type: 'request.aborted' })

const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/

/**
 * body-parser's strict JSON (`strict: true`), on the text as iconv gives it (a leading byte-order
 * mark dropped): an empty body is `{}`; a body that does not start with `{` or `[` is refused with
 * the message JSON.parse gives at that character; anything else is JSON.parse's.
 */
const parseStrict = (decoded: string): unknown => {
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded
  if (text.length === 0) return {}
  if (text[0] !== '{' && text[0] !== '[') {
    const first = FIRST_NON_WHITESPACE.exec(text)?.[1] || undefined
    if (first !== '{' && first !== '[') throw new SyntaxError(strictViolation(text, first))
  }
  return JSON.parse(text)
}

/**
 * The message body-parser gives a body that is JSON but not an object or array: JSON.parse's
 * error for the text with everything from that character on masked, the mask shown as the text.
 */
const strictViolation = (text: string, first: string | undefined): string => {
  // As body-parser searches: for the character, or for "undefined" when there is none.
  const at = text.indexOf(first as string)
  const masked = at === -1 ? '' : text.slice(0, at) + '#'.repeat(text.length - at)
  try {
    JSON.parse(masked)
  } catch (e) {
    return (e as Error).message.replace(/#+/g, (run) => text.substring(at, at + run.length))
  }
  return 'strict violation'
}
