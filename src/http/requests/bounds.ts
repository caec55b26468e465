import type { NextFunction, Request, Response } from 'express'
import { problem, sendProblem } from '../wire/problem'
import { queryOf } from './query'

/**
 * Bounds on what a request may carry beyond its size: JSON nested deeper than any command or
 * budget file needs is refused before a codec walks it, and query parameters a route does not
 * know are refused rather than ignored (a misspelt ?dryRun must not record for real).
 */
export const MAX_JSON_DEPTH = 32

/**
 * Whether a JSON value nests deeper than `max`. Recursive, but never deeper than `max` + 1 calls (a
 * value one level too deep ends the walk), so no body can overflow the stack; it reads each
 * object's own keys in place, with no array of values or stack of pairs made for every body.
 */
export const jsonDepthExceeds = (value: unknown, max: number): boolean => nestsDeeper(value, max)

const nestsDeeper = (v: unknown, levelsLeft: number): boolean => {
  if (typeof v !== 'object' || v === null) return false
  if (levelsLeft === 0) return true
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (nestsDeeper(v[i], levelsLeft - 1)) return true
    return false
  }
  const o = v as Record<string, unknown>
  for (const k in o) if (Object.hasOwn(o, k) && nestsDeeper(o[k], levelsLeft - 1)) return true
  return false
}

export const boundDepth = (req: Request, res: Response, next: NextFunction): void => {
  if (!jsonDepthExceeds(req.body, MAX_JSON_DEPTH)) return next()
  sendProblem(res, problem('invalid', `the body is nested more than ${MAX_JSON_DEPTH} levels deep; nothing was written`, [{ path: '', reason: `nested more than ${MAX_JSON_DEPTH} levels deep` }]))
}

export const onlyQuery =
  (known: ReadonlyArray<string>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const unknown = Object.keys(queryOf(req)).filter((k) => !known.includes(k))
    if (unknown.length === 0) return next()
    const shown = unknown.map((k) => (k.length > 40 ? `${k.slice(0, 37)}...` : k))
    sendProblem(
      res,
      problem(
        'bad-request',
        `unknown query parameter(s): ${shown.join(', ')}; ${known.length ? `known: ${known.join(', ')}` : 'this route takes none'}`,
        shown.map((k) => ({ path: k, reason: 'no such query parameter' })),
      ),
    )
  }
