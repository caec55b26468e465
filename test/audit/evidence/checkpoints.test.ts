import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkCheckpoint } from '../../../src/store/merkle/checkpoints/checkpoint'
import { signCheckpoint } from '../../../src/store/merkle/checkpoints/checkpoint'
import { cli } from '../../support/shells/cli'
import { TOKEN_ENTRIES, spawnServer, stopServer } from '../../support/shells/http'
import { tempDb } from '../../support/ledgers/temp-db'

const ADD = ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '1.00', '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01']

describe('signed checkpoints: a key outside the database, a checkpoint written outside the store', () => {
  let db: ReturnType<typeof tempDb>
  let keyFile: string
  let dir: string
  let publicKey: ReturnType<typeof createPublicKey>
  beforeEach(async () => {
    db = tempDb('ledger-checkpoint-')
    keyFile = join(db.dir, 'keys', 'checkpoint.pem')
    dir = join(db.dir, 'checkpoints')
    expect((await cli(['--db', db.path, 'sample'])).code).toBe(0)
    const k = await cli(['checkpoint-key', 'new', '--out', keyFile, '--format', 'json'])
    expect(k.stderr).toBe('')
    publicKey = createPublicKey(JSON.parse(k.stdout).publicKey)
  })
  afterEach(() => db.remove())

  const files = () => readdirSync(dir).sort()
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'))

  it('given `checkpoint-key new`, then the key file is 0600 and its public key is printed; the same file is never overwritten', async () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const text = await cli(['checkpoint-key', 'new', '--out', join(db.dir, 'other.pem')])
    expect(text.stdout).toMatch(/key id\s+[0-9a-f]{64}\npublic key \(publish it; auditors verify checkpoints with it\):\n-----BEGIN PUBLIC KEY-----/)
    const again = await cli(['checkpoint-key', 'new', '--out', keyFile])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(`budget-ledger: ${keyFile} already exists: a signing key is never overwritten (choose another file)\n`)
  })

  it('given a ledger, when `checkpoint` runs, then one signed checkpoint of the whole log is written to the folder; it verifies with the public key, and its root is the one verify recomputes', async () => {
    const r = await cli(['--db', db.path, 'checkpoint', '--key', keyFile, '--dir', dir, '--format', 'json'])
    expect(r.stderr).toBe('')
    const { checkpoint, writtenTo } = JSON.parse(r.stdout)
    expect(writtenTo).toEqual([join(dir, files()[0]!)])
    expect(read(files()[0]!)).toEqual(checkpoint)
    const verified = await cli(['--db', db.path, 'verify', '--format', 'json'])
    const report = JSON.parse(verified.stdout)
    expect(checkpoint).toMatchObject({ format: 'budget-ledger/checkpoint@1', treeSize: report.events, rootHash: report.tree.root })
    expect(checkCheckpoint(checkpoint, publicKey)).toEqual({ ok: true, checkpoint })
  })

  it('given a checkpoint signed by another key, or altered after signing, when it is checked with the published key, then it is refused naming why', async () => {
    const r = await cli(['--db', db.path, 'checkpoint', '--key', keyFile, '--dir', dir, '--format', 'json'])
    const { checkpoint } = JSON.parse(r.stdout)
    const thief = generateKeyPairSync('ed25519')
    const forged = signCheckpoint({ treeSize: checkpoint.treeSize, rootHash: '0'.repeat(64) }, new Date(), thief.privateKey, thief.publicKey)
    expect(checkCheckpoint(forged, publicKey)).toEqual({ ok: false, reason: expect.stringMatching(/^signed by another key: keyId [0-9a-f]{64}, but the public key given is [0-9a-f]{64}$/) })
    const relabelled = { ...forged, keyId: checkpoint.keyId }
    expect(checkCheckpoint(relabelled, publicKey)).toEqual({ ok: false, reason: 'the signature does not match its content: the checkpoint was altered, or not signed by this key' })
    expect(checkCheckpoint({ ...checkpoint, treeSize: checkpoint.treeSize + 1 }, publicKey)).toMatchObject({ ok: false, reason: expect.stringContaining('was altered') })
  })

  it('given a witness URL, when `checkpoint` runs, then the checkpoint is POSTed to the witness as JSON; a witness that answers 500 makes it fail naming the witness and its answer', async () => {
    const received: unknown[] = []
    let status = 201
    const witness = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8').on('data', (t: string) => (body += t))
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) })
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((r) => witness.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(witness.address() as AddressInfo).port}/checkpoints`
    try {
      const r = await cli(['--db', db.path, 'checkpoint', '--key', keyFile, '--witness', url, '--format', 'json'])
      expect(r.stderr).toBe('')
      expect(received).toEqual([{ method: 'POST', type: 'application/json', body: JSON.parse(r.stdout).checkpoint }])
      status = 500
      const failed = await cli(['--db', db.path, 'checkpoint', '--key', keyFile, '--witness', url])
      expect(failed.code).toBe(1)
      expect(failed.stderr).toBe(`budget-ledger: the witness ${url} answered 500; no checkpoint was kept\n`)
    } finally {
      await new Promise((r) => witness.close(r))
    }
  })

  it('given no key, or no place outside the store, when `checkpoint` runs, then it is refused naming what is missing, and nothing is written', async () => {
    const noKey = await cli(['--db', db.path, 'checkpoint', '--dir', dir])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toContain('no signing key: give --key FILE or set LEDGER_CHECKPOINT_KEY')
    const nowhere = await cli(['--db', db.path, 'checkpoint', '--key', keyFile])
    expect(nowhere.code).toBe(1)
    expect(nowhere.stderr).toContain('a checkpoint needs a place outside the store')
    expect(() => readdirSync(dir)).toThrow(/ENOENT/)
  })

  it('given the server with a key, a folder and a checkpoint every 2 events, when it starts, records and shuts down, then it writes a checkpoint at start, after 2 new events, and on shutdown', async () => {
    const s = await spawnServer(db.dir, {
      LEDGER_DB: db.path,
      LEDGER_TOKENS: JSON.stringify(TOKEN_ENTRIES),
      LEDGER_CHECKPOINT_KEY: keyFile,
      LEDGER_CHECKPOINT_DIR: dir,
      LEDGER_CHECKPOINT_EVERY: '2',
    })
    try {
      expect(s.output()).toMatch(/checkpoints: signed by key [0-9a-f]{64} every 2 event\(s\) or 60 minute\(s\) and on shutdown/)
      expect(files()).toHaveLength(1)
      const start = read(files()[0]!)
      for (let i = 0; i < 3; i++) expect((await cli(['--db', db.path, ...ADD])).code).toBe(0)
      const deadline = Date.now() + 10_000
      while (files().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(files()).toHaveLength(2)
      expect(read(files()[1]!).treeSize).toBeGreaterThanOrEqual(start.treeSize + 2)
    } finally {
      await stopServer(s)
    }
    const last = read(files().at(-1)!)
    expect(last.treeSize).toBe(read(files()[0]!).treeSize + 3)
    for (const f of files()) expect(checkCheckpoint(read(f), publicKey)).toMatchObject({ ok: true })
  }, 60_000)
})
