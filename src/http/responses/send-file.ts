import type { NextFunction } from 'express'

/**
 * The callback of res.sendFile: a failure goes on to the error handler, except a reader who went
 * away mid-file (closed the page, followed a link), which is no failure of the server's and is
 * not logged as one.
 */
export const unlessAborted =
  (next: NextFunction) =>
  (err: unknown): void => {
    if (err && (err as { code?: string }).code !== 'ECONNABORTED') next(err)
  }
