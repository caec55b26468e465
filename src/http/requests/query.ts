import type { Request } from 'express'

const NONE: Request['query'] = Object.freeze(Object.create(null) as Request['query'])

/**
 * The request's query parameters. express parses the query again at every look at `req.query`; a
 * request whose URL has no `?` (every command the bench sends, most reads) has none, and is spared
 * the parse: express would give an empty object too.
 */
export const queryOf = (req: Request): Request['query'] => (req.url.includes('?') ? req.query : NONE)
