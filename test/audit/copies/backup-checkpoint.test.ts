import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STREAM } from '../../support/ledgers/audit-ledger'
import { type CheckpointedLedger, attackerOf, checkpointedLedger, copyOf, rebuildTree, rewriteStream } from '../../support/ledgers/checkpointed-ledger'
import { cli } from '../../support/shells/cli'

/**
 * Issue 14 §6: every backup is verified against the latest signed checkpoint before it is called
 * good, and so is every restore. Real ledger files, the CLI, Ed25519 checkpoints from `checkpoint`.
 */
describe('backups checked against the latest signed checkpoint', () => {
  let l: CheckpointedLedger
  beforeAll(async () => {
    l = await checkpointedLedger()
  }, 120_000)
  afterAll(() => l.remove())

  const add = (db: string, amount: string) =>
    cli(['--db', db, 'add', '--unit', '101065', '--year', '2021', '--line', 'p01', '--amount', amount, '--reason', '测试', '--document', '测试〔2021〕2号', '--date', '2021-06-01'])

  it('given the ledger and its checkpoint, when backed up and restored with the checkpoint folder and key, then both say which checkpoint the copy holds', async () => {
    const out = join(l.dir, 'good.backup.db')
    const b = await cli(['--db', l.path, 'backup', '--out', out, '--checkpoint-dir', l.checkpointDir, '--public-key', l.publicKeyFile, '--format', 'json', '--quiet'])
    expect(b.code, b.stderr).toBe(0)
    const backup = JSON.parse(b.stdout)
    expect(backup.checkpoint).toMatchObject({ status: 'verified', checkpoint: { file: l.checkpoint, treeSize: l.events.length } })
    expect(backup.checkpoint.detail).toContain(`holds the ${l.events.length} event(s) the checkpoint ${l.checkpoint}`)

    // The key from LEDGER_CHECKPOINT_KEY and the folder from LEDGER_CHECKPOINT_DIR, as the server has them.
    const to = join(l.dir, 'restored', 'good.db')
    const r = await cli(['restore', '--from', out, '--to', to, '--format', 'json', '--quiet'], { LEDGER_CHECKPOINT_DIR: l.checkpointDir, LEDGER_CHECKPOINT_KEY: l.keyFile })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ from: { checkpoint: { status: 'verified' } }, to: { checkpoint: { status: 'verified' } } })
  })

  it('given an older backup and the ledger grown and checkpointed since, when the old backup is restored, then it is refused naming the checkpoint and how many events it lacks, and nothing is written', async () => {
    const work = copyOf(l, 'work')
    const dir = join(l.dir, 'work-checkpoints')
    mkdirSync(dir, { recursive: true })
    copyFileSync(l.checkpoint, join(dir, basename(l.checkpoint)))
    const old = join(l.dir, 'old.backup.db')
    expect((await cli(['--db', work, 'backup', '--out', old, '--checkpoint-dir', dir, '--public-key', l.publicKeyFile, '--quiet'])).code).toBe(0)
    expect((await add(work, '3.00')).code).toBe(0)
    const c = await cli(['--db', work, 'checkpoint', '--key', l.keyFile, '--dir', dir, '--format', 'json'])
    expect(c.code, c.stderr).toBe(0)
    const latest = JSON.parse(c.stdout).writtenTo[0] as string

    const to = join(l.dir, 'restored', 'old.db')
    const r = await cli(['restore', '--from', old, '--to', to, '--checkpoint-dir', dir, '--public-key', l.publicKeyFile])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`against the checkpoint ${latest}`)
    expect(r.stderr).toContain(`the ledger holds ${l.events.length} event(s), fewer than the ${l.events.length + 1}`)
    expect(existsSync(to)).toBe(false)
    // Without the checkpoints the same file passes on its chains alone: the checkpoint is what catches it.
    expect((await cli(['restore', '--from', old, '--to', to, '--quiet'])).code).toBe(0)
  })

  it('given a copy cut short and re-chained with its tree rebuilt, when backed up against the checkpoint, then the backup is refused and deleted', async () => {
    const cut = copyOf(l, 'cut')
    const db = attackerOf(cut)
    db.prepare('DELETE FROM events WHERE position > ?').run(l.events.at(-3)!.position)
    db.close()
    await rebuildTree(cut)
    expect((await cli(['--db', cut, 'verify'])).code).toBe(0)
    const out = join(l.dir, 'cut.backup.db')
    const b = await cli(['--db', cut, 'backup', '--out', out, '--checkpoint-dir', l.checkpointDir, '--public-key', l.publicKeyFile, '--quiet'])
    expect(b.code).not.toBe(0)
    expect(b.stderr).toContain(`fewer than the ${l.events.length} the checkpoint`)
    expect(existsSync(out)).toBe(false)
  })

  it('given a good backup later rewritten (one stream re-chained, its tree rebuilt, so it verifies on its own), when restored against the checkpoint, then it is refused naming the checkpoint, and nothing is written', async () => {
    const out = join(l.dir, 'rewritten.backup.db')
    const b = await cli(['--db', l.path, 'backup', '--out', out, '--checkpoint-dir', l.checkpointDir, '--public-key', l.publicKeyFile, '--quiet'])
    expect(b.code, b.stderr).toBe(0)
    rewriteStream(out, STREAM, 10)
    await rebuildTree(out)
    expect((await cli(['--db', out, 'verify'])).code).toBe(0)

    const to = join(l.dir, 'restored', 'rewritten.db')
    const r = await cli(['restore', '--from', out, '--to', to, '--checkpoint-dir', l.checkpointDir, '--public-key', l.publicKeyFile])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`against the checkpoint ${l.checkpoint}`)
    expect(r.stderr).toContain('they were altered, removed or moved')
    expect(existsSync(to)).toBe(false)
    // Its chains alone cannot tell: without the checkpoint the same file restores.
    expect((await cli(['restore', '--from', out, '--to', to, '--quiet'])).code).toBe(0)
  })

  it('given --public-key without a checkpoint folder, then the command is refused naming what is missing', async () => {
    const r = await cli(['--db', l.path, 'backup', '--out', join(l.dir, 'x.db'), '--public-key', l.publicKeyFile])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--checkpoint-dir')
  })
})
