import type { NextFunction, Request, Response } from 'express'
import { problem, sendProblem } from './problem'
import { queryOf } from './query'

/**
 * Bounds on what a request may carry beyond its size: JSON nested deeper than any command or
 * budget file needs is refused before a codec walks it, and query parameters a route does not
 * know are refused rather than ignored (a misspelt ?dryRun must not record for real).
 */
export const MAX_JSON_DEPTH = 32

/** The nesting depth of a JSON value, iteratively (a recursive walk could overflow the stack). */
export const jsonDepthExceeds = (value: unknown, max: number): boolean => {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
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
