import { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** What an express app adds to node's request and response: the objects its requests and responses inherit from. */
export interface AppPrototypes {
  readonly request: object
  readonly response: object
}

/** An express app (or anything that carries the prototypes its requests and responses must have). */
export const prototypesOf = (handler: unknown): AppPrototypes | undefined => {
  const h = handler as Partial<AppPrototypes> | undefined
  return typeof h?.request === 'object' && h.request !== null && typeof h.response === 'object' && h.response !== null ? { request: h.request, response: h.response } : undefined
}

/**
 * The classes node's server makes each request and response with (createServer's IncomingMessage
 * and ServerResponse options), born with the app's prototypes (issue 15, the writes at 64). express
 * (and the lane, lane.ts) set those prototypes on every request and response as it arrives, with
 * Object.setPrototypeOf: V8 then gives each object a new hidden class, and the code that reads and
 * writes their fields afterwards (express's, node's, ours) misses its inline caches. Born with them,
 * the setPrototypeOf of express and of the lane finds the prototype already there and does nothing.
 * Nothing else changes: the prototype chain is the one express would set.
 */
export const bornWithPrototypes = ({ request, response }: AppPrototypes) => {
  function AppRequest(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket)
  }
  AppRequest.prototype = request
  function AppResponse(this: ServerResponse, req: IncomingMessage, options?: unknown) {
    ;(ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void).call(this, req, options)
  }
  AppResponse.prototype = response
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse }
}
