import { CannotProve, proveConsistency, proveInclusion } from '../../../ledger/checkpoints/prove'
import { fail } from '../../wire/problem'
import { type RouteSpec, sendJson } from '../../route'
import { NO_STORE, json, object, one, q } from './audit'

/**
 * Proofs for auditors over HTTP (docs/audit.md, "Proofs"): the same JSON as `budget-ledger prove`.
 * The auditor names the tree size of a checkpoint they hold and checks the proof offline against it
 * (`budget-ledger verify-proof`); the server is not trusted with the answer.
 */
const HEX = { type: 'string', pattern: '^[0-9a-f]{64}$' }
const PATH = { type: 'array', items: HEX, description: 'hashes, hex, in RFC 9162 order' }
const HEAD = object({ treeSize: { type: 'integer' }, rootHash: HEX }, ['treeSize', 'rootHash'])

const count = (name: string, v: string | undefined): number => {
  if (v === undefined) fail('bad-request', `query ${name}: required`, [{ path: name, reason: 'required' }])
  if (!/^\d{1,15}$/.test(v)) fail('bad-request', `query ${name}: expected a whole number`, [{ path: name, reason: 'expected a whole number' }])
  return Number(v)
}

const proving = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (err) {
    if (err instanceof CannotProve) fail('not-found', err.message)
    throw err
  }
}

export const getInclusionProof: RouteSpec = {
  method: 'get',
  path: '/api/audit/proofs/inclusion',
  access: 'audit',
  operation: {
    operationId: 'getInclusionProof',
    summary: 'The inclusion proof of an event under a checkpoint’s tree size (RFC 9162 §2.1.3), with the event as stored',
    description: 'Auditors only. Check it offline against the signed checkpoint: `budget-ledger verify-proof --public-key K --checkpoint C --proof P`. An event past treeSize comes with an empty path (no checkpoint of that size vouches for it). 404 when the event is not in the log or the log holds fewer events than treeSize.',
    tags: ['audit'],
    parameters: [q('event', 'the event id', { type: 'string' }, true), q('treeSize', 'the treeSize of the checkpoint to prove it under', { type: 'integer', minimum: 0 }, true)],
    responses: {
      200: json(
        'The proof',
        object(
          { format: { const: 'budget-ledger/inclusion-proof@1' }, treeSize: { type: 'integer' }, leafIndex: { type: 'integer' }, path: PATH, event: { type: 'object', description: 'the event as the log stores it' } },
          ['format', 'treeSize', 'leafIndex', 'path', 'event'],
        ),
      ),
    },
  },
  async handle(ctx, req, res) {
    const event = one(req, 'event')
    if (event === undefined || event === '') fail('bad-request', 'query event: required (an event id)', [{ path: 'event', reason: 'required' }])
    const treeSize = count('treeSize', one(req, 'treeSize'))
    sendJson(res, 200, await proving(() => proveInclusion(ctx.deps.store, event, treeSize)), NO_STORE)
  },
}

export const getConsistencyProof: RouteSpec = {
  method: 'get',
  path: '/api/audit/proofs/consistency',
  access: 'audit',
  operation: {
    operationId: 'getConsistencyProof',
    summary: 'The consistency proof between two checkpoints’ tree sizes (RFC 9162 §2.1.4)',
    description: 'Auditors only. Check it offline: `budget-ledger verify-proof --public-key K --from C1 --to C2 --proof P`. 404 when the log holds fewer events than `to` (events were removed); 400 when from > to.',
    tags: ['audit'],
    parameters: [q('from', 'the earlier checkpoint’s treeSize', { type: 'integer', minimum: 0 }, true), q('to', 'the later checkpoint’s treeSize', { type: 'integer', minimum: 0 }, true)],
    responses: { 200: json('The proof', object({ format: { const: 'budget-ledger/consistency-proof@1' }, from: HEAD, to: HEAD, path: PATH }, ['format', 'from', 'to', 'path'])) },
  },
  async handle(ctx, req, res) {
    const from = count('from', one(req, 'from'))
    const to = count('to', one(req, 'to'))
    if (from > to) fail('bad-request', `query from: ${from} is more than to (${to}): give the earlier checkpoint's size as from`, [{ path: 'from', reason: 'more than to' }])
    sendJson(res, 200, await proving(() => proveConsistency(ctx.deps.store, from, to)), NO_STORE)
  },
}

export const PROOF_ROUTES: ReadonlyArray<RouteSpec> = [getInclusionProof, getConsistencyProof]
