import { createPublicKey } from 'node:crypto'
import { copyFileSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latestCheckpoint, verifyAgainstCheckpoint } from '../../../src/store/merkle/checkpoints/verify-against'
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite'
import { type CheckpointedLedger, attackerOf, checkpointedLedger, copyOf, readJson, rebuildTree } from '../../support/ledgers/checkpointed-ledger'
import { cli } from '../../support/shells/cli'

/** What a backup calls before it is called good: the copy against the latest signed checkpoint. */
describe('a ledger copy checked against the latest signed checkpoint', () => {
  let l: CheckpointedLedger
  let key: ReturnType<typeof createPublicKey>
  beforeAll(async () => {
    l = await checkpointedLedger()
    key = createPublicKey(readFileSync(l.publicKeyFile, 'utf8'))
  }, 120_000)
  afterAll(() => l.remove())

  const check = async (path: string, checkpoint: unknown) => {
    const store = new SqliteEventStore(path, { readOnly: true })
    try {
      return await verifyAgainstCheckpoint(store, checkpoint, key)
    } finally {
      await store.close()
    }
  }

  it('given a copy of the file, and the ledger grown since, when checked against the checkpoint, then both hold the log it signed', async () => {
    expect(await check(copyOf(l, 'backup'), readJson(l.checkpoint))).toMatchObject({ ok: true, problems: [] })
    const add = ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '1.00', '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01']
    const grown = copyOf(l, 'grown')
    expect((await cli(['--db', grown, ...add])).code).toBe(0)
    expect((await check(grown, readJson(l.checkpoint))).ok).toBe(true)
  })

  it('given a copy truncated and consistent with itself, or with an event altered, when checked, then it is refused naming the checkpoint and what differs', async () => {
    const truncated = copyOf(l, 'truncated')
    const db = attackerOf(truncated)
    db.prepare('DELETE FROM events WHERE position > ?').run(l.events.at(-3)!.position)
    db.close()
    await rebuildTree(truncated)
    const cp = readJson(l.checkpoint)
    expect(await check(truncated, cp)).toMatchObject({ ok: false, problems: [`the ledger holds ${l.events.length - 2} event(s), fewer than the ${l.events.length} the checkpoint of ${cp.time} vouched for`] })
    const moved = copyOf(l, 'moved')
    const a = l.events[10]!
    const m = attackerOf(moved)
    m.prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify({ ...(a.data as object), note: 'x' }), a.id)
    m.close()
    const r = await check(moved, cp)
    expect(r.ok).toBe(false)
    expect(r.problems).toContain('the ledger does not verify on its own (see verify)')
  })

  it('given a folder with checkpoints of the key and one of another key, when the latest is asked for, then it is the key’s largest, and another key’s is never used', async () => {
    copyFileSync(l.checkpoint, join(l.checkpointDir, 'copy.json'))
    const thief = join(l.dir, 'thief.pem')
    expect((await cli(['checkpoint-key', 'new', '--out', thief])).code).toBe(0)
    const grown = copyOf(l, 'for-latest')
    const add = ['add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', '2.00', '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01']
    expect((await cli(['--db', grown, ...add])).code).toBe(0)
    expect((await cli(['--db', grown, 'checkpoint', '--key', thief, '--dir', l.checkpointDir])).code).toBe(0)
    expect(readdirSync(l.checkpointDir)).toHaveLength(3)
    expect(latestCheckpoint(l.checkpointDir, key)?.checkpoint).toEqual(readJson(l.checkpoint))
  })
})
