import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { decode } from '../domain/decode'
import { Bounded } from '../domain/primitives'
import { strict } from '../domain/strict'
import { ROLES, Role } from './roles'

/**
 * Access tokens: [{token, name, role}] from env LEDGER_TOKENS (JSON), else from the file of
 * LEDGER_TOKENS_FILE (default ./data/tokens.json). With neither, the first start writes one
 * random token per role into that file (mode 0600) and says where it is. Never open by default.
 */
export const DEFAULT_TOKENS_FILE = './data/tokens.json'

/** At least 16 characters of the RFC 6750 token alphabet, so a guessable token is refused. */
const TokenText = t.refinement(t.string, (s) => /^[A-Za-z0-9\-._~+/]{16,512}=*$/.test(s), 'a token of at least 16 characters (letters, digits, -._~+/)')

export const TokenEntry = strict({ token: TokenText, name: Bounded(1, 100, 'a name (1 to 100 characters)'), role: Role }, {}, 'token')
export type TokenEntry = t.TypeOf<typeof TokenEntry>
const TokenEntries = t.array(TokenEntry)

export interface TokenConfig {
  readonly entries: ReadonlyArray<TokenEntry>
  /** Where they came from, in words: "the LEDGER_TOKENS environment variable" or a file path. */
  readonly source: string
  /** The file, when they live in one. */
  readonly file?: string
  /** True when this start created the file. */
  readonly created: boolean
}

export class TokenConfigError extends Error {}

const parse = (text: string, source: string): TokenEntry[] => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new TokenConfigError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)}); expected [{"token", "name", "role"}]`)
  }
  const decoded = decode(TokenEntries)(json)
  if (E.isLeft(decoded)) throw new TokenConfigError(`${source}: ${decoded.left.map((e) => e.message).join('; ')}`)
  const entries = decoded.right
  if (entries.length === 0) throw new TokenConfigError(`${source}: no tokens; the server never runs open: add at least one`)
  const seen = new Set<string>()
  for (const e of entries) {
    if (seen.has(e.token)) throw new TokenConfigError(`${source}: the same token is listed twice (for ${e.name})`)
    seen.add(e.token)
  }
  return entries
}

export const newToken = (): string => randomBytes(32).toString('base64url')

const localTokens = (): TokenEntry[] => ROLES.map((role) => ({ token: newToken(), name: `local-${role}`, role }))

/** Where hard links are not supported: an exclusive create, then the content. */
const createExclusive = (file: string, text: string): boolean => {
  try {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' })
    return true
  } catch (e) {
    throw new TokenConfigError(`cannot create ${file}: ${(e as NodeJS.ErrnoException).code}`)
  }
}

/** Reads the configured tokens, creating local ones on a first start. */
export const loadTokens = (env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TokenConfig => {
  if (env.LEDGER_TOKENS?.trim()) {
    return { entries: parse(env.LEDGER_TOKENS, 'LEDGER_TOKENS'), source: 'the LEDGER_TOKENS environment variable', created: false }
  }
  const file = resolve(cwd, env.LEDGER_TOKENS_FILE || DEFAULT_TOKENS_FILE)
  let created = false
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new TokenConfigError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`)
    mkdirSync(dirname(file), { recursive: true })
    text = `${JSON.stringify(localTokens(), null, 2)}\n`
    // Written whole to a private temp file, then linked into place: link is atomic and fails if the
    // file exists, so two first starts never overwrite each other or read a half-written file.
    const tmp = `${file}.${process.pid}.${newToken().slice(0, 8)}.tmp`
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' })
    try {
      linkSync(tmp, file)
      created = true
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') text = readFileSync(file, 'utf8')
      else created = createExclusive(file, text)
    } finally {
      unlinkSync(tmp)
    }
  }
  return { entries: parse(text, file), source: file, file, created }
}

/** True when others than the owner may read the file (the server warns). */
export const readableByOthers = (file: string): boolean => {
  try {
    return process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0
  } catch {
    return false
  }
}
