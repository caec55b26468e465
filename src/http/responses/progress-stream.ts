import type { Request, Response } from 'express'
import { ProblemError } from '../wire/problem'

/**
 * Progress of a long request, for a client that asks for it (`Accept: application/x-ndjson`): the
 * answer is a stream of JSON lines, `{"checked":1000,"rows":5000}` as the work goes on, then one
 * line with what the request would otherwise have answered, `{"status":201,"body":{…}}` (a problem
 * too, with its status). A page can then show that a 5,000-row file is being checked, row count
 * and all, instead of waiting mutely. Any other client gets the ordinary answer.
 */
export const NDJSON_TYPE = 'application/x-ndjson'

export const wantsProgress = (req: Request): boolean =>
  (req.get('accept') ?? '').split(',').some((t) => t.split(';')[0]!.trim().toLowerCase() === NDJSON_TYPE)

/** What a route answers, said once: sent as it is, or as the last line of a progress stream. */
export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

/** A refusal as the stream's last line (the headers are gone by then; the status goes in the line). */
export const answerOfProblem = (err: unknown): Answer => {
  if (!(err instanceof ProblemError)) throw err
  return { status: err.problem.status, body: err.problem, headers: err.headers }
}

/** Opens the stream: the status line and headers go out at once, so the client knows the work has begun. */
export const openProgress = (res: Response) => {
  res.status(200)
  res.setHeader('Content-Type', `${NDJSON_TYPE}; charset=utf-8`)
  res.setHeader('Cache-Control', 'no-store')
  res.flushHeaders()
  return {
    progress: (checked: number, rows: number) => void res.write(`${JSON.stringify({ checked, rows })}\n`),
    end: (a: Answer) => void res.end(`${JSON.stringify({ status: a.status, body: a.body })}\n`),
  }
}
