import type { Response } from 'express'
import type { CommandProblem, FieldIssue, ProblemKind } from '../../ledger/recording/handle-command'

/**
 * RFC 9457 problem details: every error the API answers is application/problem+json with a
 * type, title, status, detail, and `errors: [{path, reason}]` for each bad field. Never a stack.
 * Types are tag URIs (RFC 9457 §3.1.1 allows non-resolvable ones); README lists them all.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly errors: ReadonlyArray<FieldIssue>
  /** Extension members, e.g. code, currentRevision. */
  readonly [extension: string]: unknown
}

/** Every problem type of the API, with its status and fixed title. */
export const PROBLEM_TYPES = {
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this role' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'request-timeout': { status: 408, title: 'Request too slow' },
  refused: { status: 409, title: 'Refused by the ledger' },
  stale: { status: 412, title: 'The budget year has changed' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  invalid: { status: 422, title: 'Invalid input' },
  'key-reused': { status: 422, title: 'Idempotency key reused' },
  'too-many-requests': { status: 429, title: 'Too many attempts' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  contended: { status: 503, title: 'Too many concurrent changes' },
  'not-ready': { status: 503, title: 'Not ready: the event store cannot be read' },
  internal: { status: 500, title: 'Internal error' },
  'not-configured': { status: 501, title: 'Not configured on this server' },
  'bad-gateway': { status: 502, title: 'The identity provider failed' },
} as const satisfies Record<string, { status: number; title: string }>
export type ProblemType = keyof typeof PROBLEM_TYPES

export const problemTypeUri = (t: ProblemType): string => `tag:budget-ledger,2025:problem:${t}`

export const problem = (
  t: ProblemType,
  detail: string,
  errors: ReadonlyArray<FieldIssue> = [],
  extensions: Record<string, unknown> = {},
): Problem => ({ type: problemTypeUri(t), title: PROBLEM_TYPES[t].title, status: PROBLEM_TYPES[t].status, detail, errors, ...extensions })

/** Problems of the shared command handler, with the status each kind takes over HTTP. */
const BY_KIND: Record<ProblemKind, ProblemType> = {
  invalid: 'invalid',
  refused: 'refused',
  stale: 'stale',
  contended: 'contended',
  'key-reused': 'key-reused',
}

export const fromCommandProblem = (p: CommandProblem): Problem =>
  problem(BY_KIND[p.kind], p.detail, p.errors, {
    ...(p.words === undefined ? {} : { words: p.words }),
    ...(p.code === undefined ? {} : { code: p.code }),
    ...(p.currentRevision === undefined ? {} : { currentRevision: p.currentRevision }),
  })

export const sendProblem = (res: Response, p: Problem, headers: Record<string, string> = {}): void => {
  res.status(p.status)
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE)
  res.setHeader('Cache-Control', 'no-store')
  res.send(JSON.stringify(p))
}

/** A problem raised inside a handler; the error handler answers it. */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail)
  }
}

export function fail(t: ProblemType, detail: string, errors: ReadonlyArray<FieldIssue> = [], extensions: Record<string, unknown> = {}): never {
  throw new ProblemError(problem(t, detail, errors, extensions))
}
