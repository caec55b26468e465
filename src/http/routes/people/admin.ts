import * as E from 'fp-ts/Either'
import { updateAccounts } from '../../../identity/accounts/account-file'
import { resetPassword } from '../../../identity/accounts/password-change'
import { type Account, findAccount, publicAccount, revokeAccount, revokeProviderPerson } from '../../../identity/accounts/accounts'
import { problemResponse, response } from '../../wire/openapi-parts'
import { problem, sendProblem } from '../../wire/problem'
import { type RouteSpec, sendJson } from '../../route'

/**
 * The administrator's view of the people: the local accounts (revoked ones included) and who is
 * signed in now (people of the identity provider appear here once they have signed in), and the
 * revocation that ends a person's sessions at once.
 */
const NO_STORE = { 'Cache-Control': 'no-store' }

export const listPeople: RouteSpec = {
  method: 'get',
  path: '/api/admin/users',
  access: 'admin',
  operation: {
    operationId: 'listPeople',
    summary: 'Who holds which role: local accounts, and the people signed in now',
    tags: ['admin'],
    responses: { 200: response('The accounts and the signed-in people', 'People') },
  },
  handle(ctx, _req, res) {
    sendJson(
      res,
      200,
      {
        accounts: ctx.accounts.current().map(publicAccount),
        signedIn: ctx.sessions.people().map(({ person, sessions }) => ({ ...person, sessions })),
      },
      NO_STORE,
    )
  },
}

export const revokePerson: RouteSpec = {
  method: 'post',
  path: '/api/admin/users/:id/revoke',
  access: 'admin',
  operation: {
    operationId: 'revokePerson',
    summary: 'Revoke a person (a local account id, or the subject "issuer|sub" of a person signed in through the identity provider): their sessions end at once',
    tags: ['admin'],
    responses: { 200: response('Revoked', 'Revoked'), 404: problemResponse('No such person'), 409: problemResponse('Already revoked') },
  },
  handle(ctx, req, res) {
    const id = String(req.params.id)
    const signedIn = ctx.sessions.people().find((p) => p.person.subject === id)?.person
    const at = new Date().toISOString()
    // Decided on the file as it is under its lock, so a CLI change at the same instant is kept.
    const r = updateAccounts(ctx.accounts.file, (accounts) => {
      if (findAccount(accounts, id) !== undefined)
        return E.bimap(
          (why: string) => ({ ...problem('refused', why), code: 'already-revoked' }),
          (next: { accounts: Account[]; revoked: Account }) => ({ accounts: next.accounts, result: next.revoked }),
        )(revokeAccount(accounts, id, at))
      if (signedIn === undefined) return E.left(problem('not-found', `no account has the id "${id}" and no one with that subject is signed in`))
      const next = revokeProviderPerson(accounts, signedIn, at)
      return E.right({ accounts: next.accounts, result: next.revoked })
    })
    if (E.isLeft(r)) return sendProblem(res, r.left)
    const revoked = r.right
    const sessionsEnded = ctx.sessions.endFor(revoked.id)
    sendJson(res, 200, { revoked: publicAccount(revoked), sessionsEnded }, NO_STORE)
  },
}

export const resetPersonPassword: RouteSpec = {
  method: 'post',
  path: '/api/admin/users/:id/reset-password',
  access: 'admin',
  operation: {
    operationId: 'resetPassword',
    summary: "Give a local account a new password (answered this once) and end every session it has, as `budget-ledger users reset-password`",
    tags: ['admin'],
    responses: { 200: response('The new password', 'PasswordReset'), 404: problemResponse('No such active local account') },
  },
  async handle(ctx, req, res) {
    const r = await resetPassword(ctx.accounts.file, ctx.sessions, String(req.params.id))
    if (E.isLeft(r)) return sendProblem(res, problem('not-found', r.left))
    sendJson(res, 200, r.right, NO_STORE)
  },
}

export const ADMIN_ROUTES: ReadonlyArray<RouteSpec> = [listPeople, revokePerson, resetPersonPassword]
