import { buildOpenApi } from '../../wire/openapi'
import { response } from '../../wire/openapi-parts'
import { type RouteSpec, sendJson } from '../../route'

export const openapi: RouteSpec = {
  method: 'get',
  path: '/openapi.json',
  access: 'public',
  operation: {
    operationId: 'openapi',
    summary: 'This API described as OpenAPI 3.1',
    tags: ['meta'],
    responses: { 200: response('The OpenAPI document', 'OpenApiDocument') },
  },
  handle(ctx, _req, res) {
    sendJson(res, 200, buildOpenApi(ctx.routes))
  },
}
