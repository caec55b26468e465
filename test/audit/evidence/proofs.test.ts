import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { STREAM, serveStore } from '../../support/ledgers/audit-ledger'
import { type CheckpointedLedger, checkpointFiles, checkpointedLedger, readJson } from '../../support/ledgers/checkpointed-ledger'
import { cli, cliProcess } from '../../support/shells/cli'
import { TOKENS, send } from '../../support/shells/http'

describe('proofs: handed out by the ledger (CLI and HTTP), checked offline with the public key alone', () => {
  let l: CheckpointedLedger
  let later: string
  beforeAll(async () => {
    l = await checkpointedLedger()
    const add = ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '1.00', '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01']
    for (let i = 0; i < 3; i++) expect((await cli(['--db', l.path, ...add])).code).toBe(0)
    expect((await cli(['--db', l.path, 'checkpoint', '--key', l.keyFile, '--dir', l.checkpointDir])).code).toBe(0)
    later = checkpointFiles(l).at(-1)!
  }, 120_000)
  afterAll(() => l.remove())

  const verifyProof = (...args: string[]) => cli(['verify-proof', '--public-key', l.publicKeyFile, ...args])

  it('given an event and the checkpoint, when its inclusion proof is made and checked by the offline verifier (a process with no database), then it is accepted naming the event and its leaf; the auditor’s own copy of the event altered is refused', async () => {
    const e = l.events.find((x) => x.stream === STREAM && x.revision === 7)!
    const file = join(l.dir, 'inclusion.json')
    const p = await cli(['--db', l.path, 'prove', 'inclusion', '--event', e.id, '--checkpoint', l.checkpoint, '--out', file])
    expect(p.stderr).toBe('')
    expect(JSON.parse(p.stdout)).toMatchObject({ format: 'budget-ledger/inclusion-proof@1', treeSize: l.events.length, leafIndex: l.events.indexOf(e), event: e })
    const ok = await cliProcess(['verify-proof', '--public-key', l.publicKeyFile, '--checkpoint', l.checkpoint, '--proof', file], { LEDGER_DB: join(l.dir, 'no-such.db') })
    expect(ok.stderr).toBe('')
    expect(ok.stdout).toBe(`OK: event ${e.id} (stream ${STREAM} revision 7, position ${e.position}) is leaf ${l.events.indexOf(e)} of the log under checkpoint ${l.checkpoint} (${l.events.length} event(s), root ${readJson(l.checkpoint).rootHash}, signed ${readJson(l.checkpoint).time})\n`)

    const mine = join(l.dir, 'my-copy.json')
    writeFileSync(mine, JSON.stringify({ ...e, data: { ...(e.data as object), amount: '999.00' } }))
    const refused = await verifyProof('--checkpoint', l.checkpoint, '--proof', file, '--event', mine)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(new RegExp(`^REFUSED: event ${e.id} \\(stream ${STREAM} revision 7, position ${e.position}\\) is NOT in the log under checkpoint `))
  })

  it('given two checkpoints, when the consistency proof is made and checked offline, then the later log is accepted as extending the earlier; given in the wrong order, it is refused', async () => {
    const file = join(l.dir, 'consistency.json')
    const p = await cli(['--db', l.path, 'prove', 'consistency', '--from', l.checkpoint, '--to', later, '--out', file])
    expect(p.stderr).toBe('')
    const ok = await verifyProof('--from', l.checkpoint, '--to', later, '--proof', file)
    expect(ok.stdout).toMatch(/^OK: the log of checkpoint .* extends the log of checkpoint .*: its first \d+ event\(s\) are unchanged\n$/)
    const swapped = await verifyProof('--from', later, '--to', l.checkpoint, '--proof', file)
    expect(swapped.code).toBe(1)
    expect(swapped.stdout).toContain('give the earlier checkpoint as --from')
  })

  it('given the same checkpoints over HTTP, when an auditor asks for the proofs, then they are the JSON the command line hands out', async () => {
    const store = new SqliteEventStore(l.path, { readOnly: true })
    const server = await serveStore(store)
    try {
      const e = l.events[3]!
      const size = readJson(l.checkpoint).treeSize as number
      const http = await send(server.url, 'GET', `/api/audit/proofs/inclusion?event=${e.id}&treeSize=${size}`, { token: TOKENS.auditor })
      expect(http.status).toBe(200)
      const viaCli = await cli(['--db', l.path, 'prove', 'inclusion', '--event', e.id, '--checkpoint', l.checkpoint])
      expect(http.body).toEqual(JSON.parse(viaCli.stdout))
      const c = await send(server.url, 'GET', `/api/audit/proofs/consistency?from=${size}&to=${readJson(later).treeSize}`, { token: TOKENS.auditor })
      const cc = await cli(['--db', l.path, 'prove', 'consistency', '--from', l.checkpoint, '--to', later])
      expect(c.body).toEqual(JSON.parse(cc.stdout))
      const bad = await send(server.url, 'GET', `/api/audit/proofs/consistency?from=9&to=2`, { token: TOKENS.auditor })
      expect(bad.status).toBe(400)
    } finally {
      await server.close()
      await store.close()
    }
  })

  it('given the offline verifier on its own (verify-proof-main, a process that loads nothing else of the ledger), when it checks a proof, then it accepts it and refuses it under a checkpoint of another size', async () => {
    const e = l.events[5]!
    const file = join(l.dir, 'standalone.json')
    expect((await cli(['--db', l.path, 'prove', 'inclusion', '--event', e.id, '--checkpoint', l.checkpoint, '--out', file])).code).toBe(0)
    const run = (checkpoint: string) =>
      new Promise<{ code: number; stdout: string }>((done) => {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '..', '..', '..', 'src', 'cli', 'proofs', 'verify-proof-main.ts'), 'verify-proof', '--public-key', l.publicKeyFile, '--checkpoint', checkpoint, '--proof', file], { cwd: join(__dirname, '..', '..', '..') })
        let stdout = ''
        child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
        child.on('close', (code) => done({ code: code ?? -1, stdout }))
      })
    const ok = await run(l.checkpoint)
    expect(ok.stdout).toMatch(new RegExp(`^OK: event ${e.id} `))
    expect(ok.code).toBe(0)
    const other = await run(later)
    expect(other.stdout).toMatch(/^REFUSED: .* is a proof under a tree of \d+ event\(s\), not under checkpoint /)
    expect(other.code).toBe(1)
  })

  it('given the offline verifier’s source, then it imports nothing of the ledger but the Merkle verification, the checkpoint signature and the event’s leaf encoding', () => {
    const root = resolve(__dirname, '..', '..', '..')
    const seen = new Set<string>()
    const walk = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) walk(`${resolve(dirname(file), m[1]!)}.ts`)
    }
    walk(join(root, 'src/cli/proofs/verify-proof-main.ts'))
    expect([...seen].map((f) => relative(root, f)).sort()).toEqual([
      'src/cli/proofs/verify-proof-main.ts',
      'src/cli/proofs/verify-proof.ts',
      'src/cli/shell/io.ts',
      'src/store/chain/hash-chain.ts',
      // The hashing itself (node:crypto's SHA-256 in one call), which hashes.ts and hash-chain.ts share.
      'src/store/chain/sha256.ts',
      'src/store/envelope.ts',
      'src/store/merkle/checkpoints/checkpoint.ts',
      'src/store/merkle/proofs/consistency.ts',
      'src/store/merkle/proofs/inclusion.ts',
      'src/store/merkle/proofs/proofs.ts',
      'src/store/merkle/proofs/verify-proof.ts',
      'src/store/merkle/tree/hashes.ts',
      'src/store/merkle/tree/leaf.ts',
      'src/store/merkle/tree/perfect-nodes.ts',
      'src/store/merkle/tree/split.ts',
      'src/store/merkle/tree/subtree.ts',
    ])
  })
})
