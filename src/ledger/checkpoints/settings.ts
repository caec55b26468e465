import type { CheckpointTargets } from './publish'

/**
 * Checkpoint settings from the environment (README, "Environment variables"); the command line's
 * flags win over them. No key: no checkpoints (the server says so when it starts).
 */
export interface CheckpointSettings extends CheckpointTargets {
  /** The signing key's file (LEDGER_CHECKPOINT_KEY). */
  readonly keyFile?: string
  /** A checkpoint after this many new events (LEDGER_CHECKPOINT_EVERY, default 1000). */
  readonly everyEvents: number
  /** …or this many minutes after the last one, when events came since (LEDGER_CHECKPOINT_MINUTES, default 60). */
  readonly everyMinutes: number
}

export class CheckpointSettingsError extends Error {
  override readonly name = 'CheckpointSettingsError'
}

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CheckpointSettingsError(`${name}: expected a whole number ≥ 1, got "${v}"`)
  return Number(v)
}

export const checkpointSettings = (env: NodeJS.ProcessEnv): CheckpointSettings => {
  const s: CheckpointSettings = {
    everyEvents: positive(env, 'LEDGER_CHECKPOINT_EVERY', 1000),
    everyMinutes: positive(env, 'LEDGER_CHECKPOINT_MINUTES', 60),
    ...(env.LEDGER_CHECKPOINT_KEY ? { keyFile: env.LEDGER_CHECKPOINT_KEY } : {}),
    ...(env.LEDGER_CHECKPOINT_DIR ? { dir: env.LEDGER_CHECKPOINT_DIR } : {}),
    ...(env.LEDGER_WITNESS_URL ? { witnessUrl: env.LEDGER_WITNESS_URL } : {}),
  }
  if (s.witnessUrl !== undefined && !/^https?:\/\//.test(s.witnessUrl)) throw new CheckpointSettingsError(`LEDGER_WITNESS_URL: expected an http(s):// URL, got "${s.witnessUrl}"`)
  if (s.keyFile !== undefined && s.dir === undefined && s.witnessUrl === undefined)
    throw new CheckpointSettingsError('LEDGER_CHECKPOINT_KEY is set but checkpoints have nowhere to go outside the store: set LEDGER_CHECKPOINT_DIR or LEDGER_WITNESS_URL')
  return s
}
