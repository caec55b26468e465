import { join } from 'node:path'
import { eventHash } from '../../../src/store/chain/hash-chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { STREAM } from '../../support/ledgers/audit-ledger'
import { type CheckpointedLedger, attackerOf, checkpointedLedger, copyOf, readJson, rebuildTree, rewriteStream } from '../../support/ledgers/checkpointed-ledger'
import { cli } from '../../support/shells/cli'

/**
 * The tamper drill of issue 14: someone with write access to a copy of a real ledger file (but not
 * the signing key) rewrites it, each time leaving a file that is consistent with itself: chains
 * recomputed and the Merkle tree rebuilt by the ledger's own code, so plain `verify` passes. The
 * auditor holds only the public key and the checkpoint signed before; the operator's server signs a
 * new checkpoint of whatever the file now holds and hands out proofs. The offline verifier must
 * refuse each case from those alone, naming what and where.
 */
describe('tamper drill: every rewrite of the ledger file is caught by the offline verifier from checkpoints and proofs alone', () => {
  let l: CheckpointedLedger
  beforeAll(async () => {
    l = await checkpointedLedger()
  }, 120_000)
  afterAll(() => l.remove())

  const verifyProof = (...args: string[]) => cli(['verify-proof', '--public-key', l.publicKeyFile, ...args])
  const event = (stream: string, revision: number) => l.events.find((e) => e.stream === stream && e.revision === revision)!
  const sampleStream = () => l.events.find((e) => e.stream !== STREAM)!.stream

  /** What the operator hands the auditor: a proof of this event under the auditor's checkpoint, from the tampered file. */
  const inclusionFrom = async (path: string, id: string, name: string) => {
    const file = join(l.dir, `${name}-inclusion.json`)
    const p = await cli(['--db', path, 'prove', 'inclusion', '--event', id, '--checkpoint', l.checkpoint, '--out', file])
    expect(p.code, p.stderr).toBe(1) // the ledger's own check already says so; the auditor does not rely on it
    return file
  }

  /** A new checkpoint the operator's server signs over the tampered file, and the consistency proof from the auditor's one. */
  const newCheckpointOf = async (path: string, name: string) => {
    const dir = join(l.dir, `${name}-server-checkpoints`)
    expect((await cli(['--db', path, 'checkpoint', '--key', l.keyFile, '--dir', dir])).code).toBe(0)
    return join(dir, readdirSync(dir)[0]!)
  }
  /** The ledger goes on recording after the rewrite, so the new checkpoint is larger than the auditor's. */
  const recordMore = async (path: string) => {
    const add = ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '1.00', '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01']
    expect((await cli(['--db', path, ...add])).code).toBe(0)
  }
  const consistencyFrom = async (path: string, to: string, name: string) => {
    const file = join(l.dir, `${name}-consistency.json`)
    const p = await cli(['--db', path, 'prove', 'consistency', '--from', l.checkpoint, '--to', to, '--out', file])
    expect(p.code).toBe(1)
    return file
  }

  /** The file verifies on its own: what makes the drill a test of checkpoints, not of verify. */
  const selfConsistent = async (path: string) => {
    const r = await cli(['--db', path, 'verify'])
    expect(r.stdout + r.stderr).toMatch(/every hash chain is intact\nMerkle tree: \d+ leaf\(s\), root [0-9a-f]{64}: agrees with the log/)
    expect(r.code).toBe(0)
  }


  it('given one byte of an event’s payload changed, when its inclusion proof under the checkpoint is checked, then it is refused naming the event, its stream, revision and position', async () => {
    const path = copyOf(l, 'byte')
    const e = event(STREAM, 10)
    const db = attackerOf(path)
    const data = db.prepare('SELECT data FROM events WHERE id = ?').get(e.id) as { data: string }
    db.prepare('UPDATE events SET data = ? WHERE id = ?').run(data.data.replace(/\d/, (d) => String((Number(d) + 1) % 10)), e.id)
    db.close()
    const r = await verifyProof('--checkpoint', l.checkpoint, '--proof', await inclusionFrom(path, e.id, 'byte'))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^REFUSED: event ${e.id} \\(stream ${STREAM} revision 10, position ${e.position}\\) is NOT in the log under checkpoint ${l.checkpoint} \\(${l.events.length} event\\(s\\)`))
  })

  for (const from of [0, 50]) {
    it(`given a stream’s chain recomputed from revision ${from} (and the tree rebuilt, so verify passes), when the new checkpoint’s consistency with the auditor’s, and the rewritten event’s inclusion, are checked, then both are refused naming the checkpoints and the event`, async () => {
      const path = copyOf(l, `rewrite-${from}`)
      rewriteStream(path, STREAM, from)
      await rebuildTree(path)
      await selfConsistent(path)
      const e = event(STREAM, from)
      const inclusion = await verifyProof('--checkpoint', l.checkpoint, '--proof', await inclusionFrom(path, e.id, `rewrite-${from}`))
      expect(inclusion.code).toBe(1)
      expect(inclusion.stdout).toContain(`REFUSED: event ${e.id} (stream ${STREAM} revision ${from}, position ${e.position}) is NOT in the log under checkpoint ${l.checkpoint}`)
      await recordMore(path)
      const c2 = await newCheckpointOf(path, `rewrite-${from}`)
      const consistency = await verifyProof('--from', l.checkpoint, '--to', c2, '--proof', await consistencyFrom(path, c2, `rewrite-${from}`))
      expect(consistency.code).toBe(1)
      expect(consistency.stdout).toMatch(new RegExp(`^REFUSED: the log of checkpoint ${c2} .* does NOT extend the log of checkpoint ${l.checkpoint} .*: among its first ${l.events.length} event\\(s\\), some were altered, removed, inserted or moved`))
    })
  }

  it('given the tail of the log truncated (and the tree rebuilt), when the new checkpoint is set beside the auditor’s, then it is refused as covering fewer events', async () => {
    const path = copyOf(l, 'truncated')
    const db = attackerOf(path)
    db.prepare('DELETE FROM events WHERE position > ?').run(l.events.at(-6)!.position)
    db.close()
    await rebuildTree(path)
    await selfConsistent(path)
    const c2 = await newCheckpointOf(path, 'truncated')
    const r = await verifyProof('--from', l.checkpoint, '--to', c2)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`REFUSED: checkpoint ${c2} (${l.events.length - 5} event(s), root ${readJson(c2).rootHash}, signed ${readJson(c2).time}) covers fewer events than the earlier checkpoint ${l.checkpoint} (${l.events.length} event(s), root ${readJson(l.checkpoint).rootHash}, signed ${readJson(l.checkpoint).time}): the log lost its events after the first ${l.events.length - 5} (truncated)\n`)
    const proof = await cli(['--db', path, 'prove', 'consistency', '--from', l.checkpoint, '--to', l.checkpoint])
    expect(proof.stderr).toContain(`the later checkpoint covers ${l.events.length} event(s), but the log holds only ${l.events.length - 5}: events were removed since`)
  })

  it('given a forged event with a valid chain appended after the last checkpoint (and given its leaf by the ledger’s own writer), when its inclusion proof under the checkpoint is checked, then it is refused: no checkpoint vouches for it', async () => {
    const path = copyOf(l, 'forged')
    const last = l.events.filter((e) => e.stream === STREAM).at(-1)!
    const metadata = { ...last.metadata, reason: '伪造', prevHash: last.metadata.hash }
    const forged = { id: '0f0f0f0f-0000-4000-8000-000000000001', type: last.type, data: { ...(last.data as object), amount: '5000000.00' } }
    const hash = eventHash(STREAM, last.revision + 1, { ...forged, metadata }, last.metadata.hash)
    const db = attackerOf(path)
    db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)').run(forged.id, STREAM, last.revision + 1, forged.type, JSON.stringify(forged.data), JSON.stringify({ ...metadata, hash }))
    db.close()
    await new SqliteEventStore(path).close()
    await selfConsistent(path)
    const r = await verifyProof('--checkpoint', l.checkpoint, '--proof', await inclusionFrom(path, forged.id, 'forged'))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^REFUSED: event ${forged.id} \\(stream ${STREAM} revision ${last.revision + 1}, position \\d+\\) is leaf ${l.events.length} of the log, after the ${l.events.length} event\\(s\\) checkpoint ${l.checkpoint} .* covers: no checkpoint vouches for it \\(it was appended after the last checkpoint\\)`))
  })

  it('given two streams’ events swapped in the log (each stream’s chain still intact, the tree rebuilt), when their inclusion proofs and the new checkpoint’s consistency are checked, then they are refused naming the events', async () => {
    const path = copyOf(l, 'swapped')
    // Neighbours in the log, so each stream's events stay in revision order and its chain holds.
    const a = l.events.filter((e) => e.stream === STREAM).at(-1)!
    const b = event(sampleStream(), 0)
    expect(b.position).toBe(a.position + 1)
    const db = attackerOf(path)
    db.transaction(() => {
      db.prepare('UPDATE events SET position = -1 WHERE id = ?').run(a.id)
      db.prepare('UPDATE events SET position = ? WHERE id = ?').run(a.position, b.id)
      db.prepare('UPDATE events SET position = ? WHERE id = ?').run(b.position, a.id)
    })()
    db.close()
    await rebuildTree(path)
    await selfConsistent(path)
    for (const e of [a, b]) {
      const r = await verifyProof('--checkpoint', l.checkpoint, '--proof', await inclusionFrom(path, e.id, `swapped-${e.revision}-${e.stream}`))
      expect(r.code).toBe(1)
      expect(r.stdout).toContain(`REFUSED: event ${e.id} (stream ${e.stream} revision ${e.revision}, position ${e === a ? b.position : a.position}) is NOT in the log under checkpoint ${l.checkpoint}`)
    }
    await recordMore(path)
    const c2 = await newCheckpointOf(path, 'swapped')
    const consistency = await verifyProof('--from', l.checkpoint, '--to', c2, '--proof', await consistencyFrom(path, c2, 'swapped'))
    expect(consistency.code).toBe(1)
    expect(consistency.stdout).toContain('does NOT extend the log of checkpoint')
  })

  it('given a checkpoint signed with another key (the thief’s), when it is used as the later checkpoint or to check a proof, then the offline verifier refuses it naming the keys', async () => {
    const thiefKey = join(l.dir, 'thief.pem')
    expect((await cli(['checkpoint-key', 'new', '--out', thiefKey])).code).toBe(0)
    const thiefDir = join(l.dir, 'thief-checkpoints')
    expect((await cli(['--db', l.path, 'checkpoint', '--key', thiefKey, '--dir', thiefDir])).code).toBe(0)
    const forged = join(thiefDir, readdirSync(thiefDir)[0]!)
    const r = await verifyProof('--from', l.checkpoint, '--to', forged)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^REFUSED: checkpoint ${forged} refused: signed by another key: keyId [0-9a-f]{64}, but the public key given is ${readJson(l.checkpoint).keyId}\\n$`))
  })
})
