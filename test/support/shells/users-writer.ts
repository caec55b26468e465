import * as E from 'fp-ts/Either'
import { updateAccounts } from '../../../src/identity/accounts/account-file'
import { addAccount } from '../../../src/identity/accounts/accounts'

/**
 * A second writer of the users file, as a process of its own: adds `count` accounts named
 * prefix-1…prefix-count, one read-modify-write each, as fast as it can (users.test.ts races two).
 */
const [file, prefix, count] = process.argv.slice(2) as [string, string, string]
for (let i = 1; i <= Number(count); i++) {
  const r = updateAccounts(file, (accounts) =>
    E.map((all: ReturnType<typeof accounts.slice>) => ({ accounts: all, result: null }))(
      addAccount(accounts, { id: `${prefix}-${i}`, name: `${prefix}-${i}`, role: 'finance', password: 'not-a-hash', created: new Date().toISOString() }),
    ),
  )
  if (E.isLeft(r)) throw new Error(r.left)
}
