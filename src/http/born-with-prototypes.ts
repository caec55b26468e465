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
  // Built by node's own constructors with this class as new.target (Reflect.construct), not by
  // calling them on `this`: an object made by `ServerResponse.call(this)` gets the dozens of fields
  // of node's response added one by one past the few in-object slots of a one-line function, and V8
  // turns it into a dictionary (slow properties) before it is even handed to the app, so every
  // field read or written afterwards (node's HTTP, express, ours) was a hash lookup and adding
  // statusCode grew a 3 KB dictionary per response (docs/speed.md, "GET, the route's own work").
  // With new.target, the object starts from node's own constructor's map: fast, as node's own are.
  function AppRequest(socket: Socket): IncomingMessage {
    return Reflect.construct(IncomingMessage, [socket], AppRequest) as IncomingMessage
  }
  AppRequest.prototype = request
  function AppResponse(req: IncomingMessage, options?: unknown): ServerResponse {
    return Reflect.construct(ServerResponse, [req, options], AppResponse) as ServerResponse
  }
  AppResponse.prototype = response
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse }
}
