import { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** What an express app adds to node's request and response: the objects its requests and responses inherit from (express reads them per request). */
export interface AppPrototypes {
  request: object
  response: object
}

/** An express app (or anything that carries the prototypes its requests and responses must have). */
export const prototypesOf = (handler: unknown): AppPrototypes | undefined => {
  const h = handler as Partial<AppPrototypes> | undefined
  return typeof h?.request === 'object' && h.request !== null && typeof h.response === 'object' && h.response !== null ? (h as AppPrototypes) : undefined
}

/**
 * The classes node's server makes each request and response with (createServer's IncomingMessage
 * and ServerResponse options), born with the app's prototypes (issue 15, the writes at 64). express
 * (and the lane, lane.ts) set those prototypes on every request and response as it arrives, with
 * Object.setPrototypeOf: V8 then gives each object a new hidden class, and the code that reads and
 * writes their fields afterwards (express's, node's, ours) misses its inline caches. Born with them,
 * the setPrototypeOf of express and of the lane finds the prototype already there and does nothing.
 * Nothing else changes: the prototype chain is the one express would set.
 *
 * The response is a class extending node's (issue 15, "GET, the route's own work"): one made by
 * a plain function calling `ServerResponse.call(this)` gets node's dozens of fields added past the
 * few in-object slots V8 gives such a function, and V8 turned every response into a dictionary
 * (slow properties: each field read or written, by node's HTTP, express or ours, a hash lookup, and
 * 3 KB of dictionary grown per response). A class's instances start from node's constructor's
 * shape. A class's prototype cannot be another object, so the app's response prototype becomes the
 * class's: the same methods and chain (express's response, then node's), and express, which reads
 * `app.response` per request, finds it set. The request keeps the plain function: it stays fast.
 */
export const bornWithPrototypes = (app: AppPrototypes) => {
  function AppRequest(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket)
  }
  AppRequest.prototype = app.request
  if (!madeClasses.has(app.response)) {
    class AppResponse extends ServerResponse {}
    Object.setPrototypeOf(AppResponse.prototype, Object.getPrototypeOf(app.response) as object)
    Object.defineProperties(AppResponse.prototype, Object.getOwnPropertyDescriptors(app.response))
    madeClasses.add(AppResponse.prototype)
    app.response = AppResponse.prototype
  }
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: (app.response as { constructor: typeof ServerResponse }).constructor }
}

/** Response prototypes already made a class's: an app listened on twice keeps its class. */
const madeClasses = new WeakSet<object>()
