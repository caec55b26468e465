import { randomUUID } from 'node:crypto'
import { type Command as Cli, Option } from 'commander'
import * as E from 'fp-ts/Either'
import { displayWidth } from '../../../projections/render'
import { AccountFileError, readAccounts, updateAccounts, usersFile } from '../../identity/accounts/account-file'
import { type Account, addAccount, publicAccount, revokeAccount } from '../../identity/accounts/accounts'
import { hashPassword, newPassword } from '../../identity/accounts/password'
import { resetPassword } from '../../identity/accounts/password-change'
import { SessionFileError, SessionStore, sessionsFileBeside } from '../../identity/sessions/sessions'
import { FileLockError } from '../../identity/files/file-lock'
import { PERSON_ROLES, type PersonRole } from '../../http/access/roles'
import { json, labelled } from '../shell/format'
import { CliError, type CliIo } from '../shell/io'

/**
 * `budget-ledger users`: named local accounts (LEDGER_USERS_FILE, default ./data/users.json), for
 * a ledger without an identity provider. The password is made here, shown once and kept only as
 * a slow hash; a revoked account is refused by a running server from its next request on.
 */
/** The files' own errors (unreadable, locked) as the CLI's: a message naming the file, exit code 1. */
const filesError = (err: unknown): never => {
  if (err instanceof AccountFileError || err instanceof SessionFileError || err instanceof FileLockError) throw new CliError(err.message)
  throw err
}

const guarded = <T>(f: () => T): T => {
  try {
    return f()
  } catch (err) {
    return filesError(err)
  }
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)))

const accountsText = (accounts: ReadonlyArray<Account>): string => {
  if (accounts.length === 0) return 'no accounts yet: add one with budget-ledger users add --name NAME --role ROLE\n'
  const head = ['name', 'role', 'subject id', 'created', 'revoked']
  const rows = accounts.map((a) => [a.name, a.role, a.id, a.created, a.revoked ?? '-'])
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))))
  return [head, ...rows].map((r) => r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd()).join('\n') + '\n'
}

export const registerUsers = (cli: Cli, io: CliIo): void => {
  const users = cli.command('users').description('named local accounts for signing in without an identity provider (LEDGER_USERS_FILE)')
  users
    .command('add')
    .description('add a person: prints a new password once (only its hash is kept)')
    .requiredOption('--name <name>', 'the name they sign in with and events record, e.g. 张三')
    .addOption(new Option('--role <role>', 'what they may do').choices([...PERSON_ROLES]).makeOptionMandatory())
    .option('--json', 'print the result as JSON')
    .action(async (o: { name: string; role: PersonRole; json?: boolean }) => {
      const file = usersFile(io.env)
      const password = newPassword()
      const next = { id: randomUUID(), name: o.name, role: o.role, password: await hashPassword(password), created: new Date().toISOString() }
      const added = guarded(() => updateAccounts(file, (accounts) => E.map((all: Account[]) => ({ accounts: all, result: all.at(-1)! }))(addAccount(accounts, next))))
      if (E.isLeft(added)) throw new CliError(`--${added.left}`)
      const account = publicAccount(added.right)
      if (o.json) return io.out(json({ ...account, password, file }))
      io.out(
        labelled([
          ['added', `${account.name} (${account.role})`],
          ['subject id', account.id],
          ['password', password],
          ['file', file],
        ]) + 'Give the password to the person now: it is shown this once.\n',
      )
    })
  users
    .command('list')
    .description('who holds which role (revoked accounts included)')
    .option('--json', 'print the list as JSON')
    .action((o: { json?: boolean }) => {
      const accounts = guarded(() => readAccounts(usersFile(io.env)))
      io.out(o.json ? json(accounts.map(publicAccount)) : accountsText(accounts))
    })
  users
    .command('revoke')
    .description('revoke an account by name or subject id: it cannot sign in, and its sessions end at once')
    .argument('<name-or-id>')
    .option('--json', 'print the result as JSON')
    .action((nameOrId: string, o: { json?: boolean }) => {
      const file = usersFile(io.env)
      const result = guarded(() => updateAccounts(file, (accounts) => E.map((r: { accounts: Account[]; revoked: Account }) => ({ accounts: r.accounts, result: r.revoked }))(revokeAccount(accounts, nameOrId, new Date().toISOString()))))
      if (E.isLeft(result)) throw new CliError(result.left)
      const r = publicAccount(result.right)
      io.out(o.json ? json(r) : labelled([['revoked', `${r.name} (${r.role})`], ['subject id', r.id], ['at', r.revoked!]]))
    })
  users
    .command('reset-password')
    .description("give a person a new password: prints it once, and ends every session they have")
    .requiredOption('--name <name-or-id>', 'the account, by name or subject id')
    .option('--json', 'print the result as JSON')
    .action(async (o: { name: string; json?: boolean }) => {
      const file = usersFile(io.env)
      const sessions = new SessionStore(undefined, undefined, undefined, sessionsFileBeside(file))
      const r = await resetPassword(file, sessions, o.name).catch(filesError)
      if (E.isLeft(r)) throw new CliError(`--name: ${r.left}`)
      const { account, password, sessionsEnded } = r.right
      if (o.json) return io.out(json({ ...account, password, sessionsEnded }))
      io.out(
        labelled([
          ['new password', password],
          ['for', `${account.name} (${account.role})`],
          ['subject id', account.id],
          ['sessions ended', String(sessionsEnded)],
        ]) + 'Give the password to the person now: it is shown this once.\n',
      )
    })
}
