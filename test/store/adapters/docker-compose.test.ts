import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../../src/package-root'
import { startFlags } from '../../../src/http/server/heap-sizing'
import { SERVER_ENTRY, type Spawned, send, spawnServer, stopServer } from '../../support/shells/http'

/**
 * docker-compose.yml's ledger service, run as docker would run it but outside docker: the same
 * server entry with the same environment. Inside a container the published port reaches the
 * container's own network interface, never its loopback: the server must listen on every address.
 */

/**
 * The lines of one service's block, read by indentation (the file's own style: two spaces a
 * level), enough for this file without a YAML package.
 */
const serviceLines = (yaml: string, service: string): string[] => {
  const lines = yaml.split('\n')
  const start = lines.indexOf(`  ${service}:`)
  if (start < 0) throw new Error(`docker-compose.yml: no service "${service}"`)
  const block: string[] = []
  for (const l of lines.slice(start + 1)) {
    if (l.trim() !== '' && !l.startsWith('    ')) break
    block.push(l)
  }
  return block
}

/** `key: value` of a service (a plain or double-quoted scalar on the key's line). */
const scalar = (block: string[], key: string): string | undefined => {
  const line = block.find((l) => l.startsWith(`    ${key}: `))
  return line === undefined ? undefined : unquote(line.slice(`    ${key}: `.length))
}

const unquote = (v: string): string => {
  const t = v.trim()
  return t.startsWith('"') && t.endsWith('"') ? (JSON.parse(t) as string) : t
}

/** The `environment:` map of a service, written as `KEY: value` lines. */
const environment = (block: string[]): Record<string, string> => {
  const start = block.indexOf('    environment:')
  if (start < 0) throw new Error('docker-compose.yml: the service has no environment block')
  const env: Record<string, string> = {}
  for (const l of block.slice(start + 1)) {
    if (!l.startsWith('      ')) break
    const t = l.trim()
    if (t.startsWith('#')) continue
    const m = /^([A-Z_][A-Z0-9_]*): (.*)$/.exec(t)
    if (!m) throw new Error(`docker-compose.yml: cannot read the environment line "${t}"`)
    env[m[1]!] = unquote(m[2]!)
  }
  return env
}

/** Addresses of this machine other than loopback, where a container's published port would arrive. */
const externalIPv4 = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)

const COMPOSE = readFileSync(join(packageRoot(), 'docker-compose.yml'), 'utf8')
const PACKAGE = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }

for (const service of ['ledger', 'ledger-cluster']) {
  describe(`given docker-compose.yml's ${service} service`, () => {
    const block = serviceLines(COMPOSE, service)
    const env = environment(block)
    let dir: string
    let server: Spawned | undefined

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-compose-'))
      // As in the container, less the EventStoreDB node (no docker here): a temporary SQLite file instead.
      const { EVENTSTORE_CONNECTION_STRING: _, ...rest } = env
      server = await spawnServer(dir, { ...rest, LEDGER_DB: join(dir, 'ledger.db'), PORT: '0' })
    })
    afterAll(async () => {
      if (server) await stopServer(server)
      rmSync(dir, { recursive: true, force: true })
    })

    it('when its command and environment are read, then it runs npm start (the server entry run here) on its published port', () => {
      expect(scalar(block, 'command')).toMatch(/\bnpm start"$/)
      // node's start flags as npm start has them: the young generation's hard cap (heap-sizing.ts)
      expect(PACKAGE.scripts.start?.endsWith(` node ${startFlags().join(' ')} ${relative(packageRoot(), SERVER_ENTRY)}`), PACKAGE.scripts.start).toBe(true)
      const ports = scalar(block, 'ports')
      expect(ports).toMatch(new RegExp(`^\\["\\d+:${env.PORT}"\\]$`))
    })

    it('when the server starts with that environment, then it listens on every address and answers /health from outside loopback', async () => {
      const port = new URL(server!.url).port
      for (const address of externalIPv4()) {
        const r = await send(`http://${address}:${port}`, 'GET', '/health').catch((err: Error) => err)
        expect(r instanceof Error ? `${r.message}: ${String(r.cause)}` : r.status, address).toBe(200)
      }
      // A machine with only loopback can show no more than the address the server bound.
      expect(server!.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
      expect(env.HOST).toBe('0.0.0.0')
    })
  })
}
