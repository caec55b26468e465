import type { AddressInfo } from 'node:net'
import express from 'express'
import { listen } from '../../../src/http/listen'

/**
 * The GET ceiling of the benchmark (measures/server.ts): every GET answered with the bytes the
 * ledger sent for table 3, prebuilt, behind the same bearer-token check, on the ledger's own server
 * machinery (`listen`: its limits, requests and responses born with the app's prototypes). Plain
 * `app.listen` was the ceiling until the ledger's server stopped paying express's setPrototypeOf per
 * request; then it served half of what the ledger did, and measured the server, not the route.
 */
const body = Buffer.from(process.env.BODY ?? '', 'base64')
const authorization = `Bearer ${process.env.TOKEN ?? ''}`
const app = express()
app.set('etag', false)
app.get('*path', (req, res) => {
  if (req.get('authorization') !== authorization) {
    res.status(401).end()
    return
  }
  res.set('ETag', '"1"').type('application/json').send(body)
})
listen(app, { port: 0, host: '127.0.0.1' }).then(
  (server) => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
