import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { writePrivateFile } from '../../identity/files/private-file'
import { resolve } from 'node:path'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { decode } from '../../domain/codecs/decode'
import { Bounded } from '../../domain/codecs/primitives'
import { strict } from '../../domain/codecs/strict'
import { FolderNotCreated, createPrivateFolders } from '../../private-folders'
import { sha256Bytes } from '../../store/chain/sha256'
import { ROLES, Role } from './roles'

/**
 * Access tokens: [{token | hash, name, role}] from env LEDGER_TOKENS (JSON), else from the file of
 * LEDGER_TOKENS_FILE (default ./data/tokens.json). With neither, the first start writes one
 * random token per role into that file as hashes only (mode 0600; missing folders 0700, like the
 * ledger's, since ./data holds both) and the server shows each token once. A file of an older
 * version, with tokens in plain text, is rewritten as hashes. Never open by default.
 */
export const DEFAULT_TOKENS_FILE = './data/tokens.json'

/** At least 16 characters of the RFC 6750 token alphabet, so a guessable token is refused. */
const TokenText = t.refinement(t.string, (s) => /^[A-Za-z0-9\-._~+/]{16,512}=*$/.test(s), 'a token of at least 16 characters (letters, digits, -._~+/)')
const TokenHash = t.refinement(t.string, (s) => /^sha256:[0-9a-f]{64}$/.test(s), 'a token hash: "sha256:" and 64 lowercase hex digits')

/** A token given in plain text (`token`) or by its hash (`hash`, see tokenHash): one of the two. */
export const TokenEntry = strict({ name: Bounded(1, 100, 'a name (1 to 100 characters)'), role: Role }, { token: TokenText, hash: TokenHash }, 'token')
export type TokenEntry = t.TypeOf<typeof TokenEntry>
const TokenEntries = t.array(TokenEntry)

/**
 * SHA-256 of a token. A fast hash is enough here, unlike for passwords: the tokens the server makes
 * are 32 random bytes and those configured have at least 16 characters, so no guess list reaches
 * them and a slow hash would only slow every request (each one hashes the token it presents).
 */
/** Every request with a token hashes it, in one call where Node has it (store/chain/sha256.ts). */
export const tokenDigest = (token: string): Buffer => sha256Bytes(token)
export const tokenHash = (token: string): string => `sha256:${tokenDigest(token).toString('hex')}`

/** The digest an entry stands for, whichever way it was given. */
export const entryDigest = (e: TokenEntry): Buffer => (e.hash === undefined ? tokenDigest(e.token!) : Buffer.from(e.hash.slice('sha256:'.length), 'hex'))

/** An entry as kept at rest: its hash, never the token. */
const atRest = (e: TokenEntry): TokenEntry => ({ hash: `sha256:${entryDigest(e).toString('hex')}`, name: e.name, role: e.role })

export interface TokenConfig {
  /** As configured; the tokens this start created are here in plain text (and nowhere else). */
  readonly entries: ReadonlyArray<TokenEntry>
  /** Where they came from, in words: "the LEDGER_TOKENS environment variable" or a file path. */
  readonly source: string
  /** The file, when they live in one. */
  readonly file?: string
  /** True when this start created the file. */
  readonly created: boolean
  /** Plain-text tokens found in the file: rewritten as hashes, or left as they were when the file could not be written (why). */
  readonly plainText?: { readonly count: number; readonly rewritten: boolean; readonly why?: string }
}

export class TokenConfigError extends Error {}

const parse = (text: string, source: string): TokenEntry[] => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new TokenConfigError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)}); expected [{"token" or "hash", "name", "role"}]`)
  }
  const decoded = decode(TokenEntries)(json)
  if (E.isLeft(decoded)) throw new TokenConfigError(`${source}: ${decoded.left.map((e) => e.message).join('; ')}`)
  const entries = decoded.right
  if (entries.length === 0) throw new TokenConfigError(`${source}: no tokens; the server never runs open: add at least one`)
  entries.forEach((e, i) => {
    if ((e.token === undefined) === (e.hash === undefined))
      throw new TokenConfigError(`${source}: [${i}] (${e.name}): give either "token" (the token itself) or "hash" ("sha256:" and its SHA-256 in hex), not ${e.token === undefined ? 'neither' : 'both'}`)
  })
  const seen = new Set<string>()
  for (const e of entries) {
    const key = entryDigest(e).toString('hex')
    if (seen.has(key)) throw new TokenConfigError(`${source}: the same token is listed twice (for ${e.name})`)
    seen.add(key)
  }
  return entries
}

const fileText = (entries: ReadonlyArray<TokenEntry>): string => `${JSON.stringify(entries.map(atRest), null, 2)}\n`

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

/** A private temp file next to `file`, written whole. */
const privateTemp = (file: string, text: string): string => {
  const tmp = `${file}.${process.pid}.${newToken().slice(0, 8)}.tmp`
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' })
  return tmp
}

/**
 * Rewrites a file of plain-text tokens as their hashes, written whole as every private file is
 * (writePrivateFile), so a reader sees the old file or the new one. The same tokens still work.
 */
const rewriteAsHashes = (file: string, entries: ReadonlyArray<TokenEntry>): NonNullable<TokenConfig['plainText']> => {
  const count = entries.filter((e) => e.token !== undefined).length
  try {
    writePrivateFile(file, fileText(entries))
    return { count, rewritten: true }
  } catch (e) {
    return { count, rewritten: false, why: (e as NodeJS.ErrnoException).code ?? String(e) }
  }
}

/** Reads the configured tokens, creating local ones on a first start. */
export const loadTokens = (env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TokenConfig => {
  if (env.LEDGER_TOKENS?.trim()) {
    return { entries: parse(env.LEDGER_TOKENS, 'LEDGER_TOKENS'), source: 'the LEDGER_TOKENS environment variable', created: false }
  }
  const file = resolve(cwd, env.LEDGER_TOKENS_FILE || DEFAULT_TOKENS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new TokenConfigError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`)
    try {
      createPrivateFolders(file)
    } catch (e) {
      if (e instanceof FolderNotCreated) throw new TokenConfigError(`cannot create ${file}: ${e.message}`)
      throw e
    }
    const fresh = localTokens()
    // Linked into place from a private temp file: link is atomic and fails if the file exists, so
    // two first starts never overwrite each other or read a half-written file.
    const tmp = privateTemp(file, fileText(fresh))
    let created: boolean
    try {
      linkSync(tmp, file)
      created = true
    } catch (e) {
      created = (e as NodeJS.ErrnoException).code === 'EEXIST' ? false : createExclusive(file, fileText(fresh))
    } finally {
      unlinkSync(tmp)
    }
    // The file holds only hashes: the tokens themselves live in this process, to be shown once.
    if (created) return { entries: fresh, source: file, file, created: true }
    text = readFileSync(file, 'utf8')
  }
  const entries = parse(text, file)
  const plain = entries.some((e) => e.token !== undefined)
  return { entries, source: file, file, created: false, ...(plain ? { plainText: rewriteAsHashes(file, entries) } : {}) }
}

/** True when others than the owner may read the file (the server warns). */
export const readableByOthers = (file: string): boolean => {
  try {
    return process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0
  } catch {
    return false
  }
}
