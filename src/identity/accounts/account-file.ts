import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as E from 'fp-ts/Either'
import { decode } from '../../domain/codecs/decode'
import { type Account, Accounts } from './accounts'
import { FileLockError, withFileLock } from '../files/file-lock'
import { fileVersion, writePrivateFile } from '../files/private-file'

/**
 * The local accounts live in one JSON file (LEDGER_USERS_FILE, default ./data/users.json) beside
 * the tokens file, not in the ledger: the same file serves whichever store holds the events
 * (SQLite or EventStoreDB), and the audit log stays the budget's alone. Mode 0600, its folders
 * 0700; written whole to a temp file and renamed over, so a reader never sees half of it; every
 * change is made by updateAccounts under the file's lock, so the CLI and a running server changing
 * it at the same instant lose neither change.
 */
export const DEFAULT_USERS_FILE = './data/users.json'

export class AccountFileError extends Error {}

export const usersFile = (env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string => resolve(cwd, env.LEDGER_USERS_FILE || DEFAULT_USERS_FILE)

const parse = (text: string, file: string): Account[] => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AccountFileError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  const decoded = decode(Accounts)(json)
  if (E.isLeft(decoded)) throw new AccountFileError(`${file}: ${decoded.left.map((e) => e.message).join('; ')}`)
  return decoded.right
}

/** The accounts in the file; none when there is no file yet. */
export const readAccounts = (file: string): Account[] => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new AccountFileError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`)
  }
  return parse(text, file)
}

const writeAccounts = (file: string, accounts: ReadonlyArray<Account>): void => {
  try {
    writePrivateFile(file, `${JSON.stringify(accounts, null, 2)}\n`)
  } catch (err) {
    throw new AccountFileError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

/**
 * Reads the accounts, applies change and writes its result, all under the file's lock. A refusal
 * (Left) writes nothing and is handed back.
 */
export const updateAccounts = <T, L = string>(file: string, change: (accounts: Account[]) => E.Either<L, { accounts: ReadonlyArray<Account>; result: T }>): E.Either<L, T> => {
  try {
    return withFileLock(file, () => {
      const next = change(readAccounts(file))
      if (E.isRight(next)) writeAccounts(file, next.right.accounts)
      return E.map((r: { result: T }) => r.result)(next)
    })
  } catch (err) {
    if (err instanceof FileLockError) throw new AccountFileError(err.message)
    throw err
  }
}

/**
 * The file as the running server sees it: re-read whenever it changed (another inode after a
 * rename, another size or modification time), checked on every request, so an account revoked
 * from the CLI is refused from the next request on.
 */
export class AccountSource {
  private seen = ''
  private accounts: Account[] = []

  constructor(readonly file: string) {}

  current(): ReadonlyArray<Account> {
    const version = fileVersion(this.file)
    if (version !== this.seen) {
      this.accounts = version === 'none' ? [] : readAccounts(this.file)
      this.seen = version
    }
    return this.accounts
  }
}
