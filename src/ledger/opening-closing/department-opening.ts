import { type OwnClaim, OWN_CLAIMED, OWN_RELEASED, claimHolder, ownClaimOf, ownClaimStream, secondOwnRefusal } from '../../domain/budget-file/department-own'
import type { EventMetadata, NewEvent } from '../../store/envelope'
import type { LedgerDeps } from '../deps'
import type { AppendBatch, AppendResult, EventStore, ExpectedRevision } from '../../store/port'
import { departmentMembers } from '../reports/department'
import type { BatchStep, RecordError } from '../recording/record'

/**
 * The one rule of an opening that reaches beyond its own unit-year: a department has one 本级 a
 * year. Reads the members the opening's department already has that year (department.ts) and lets
 * the domain decide; the refusal names the step, as decide's refusals do. Commands computed from
 * earlier steps never open a year, so only listed ones are looked at. This read answers early and
 * covers logs from before claims; the race between two openings is closed by the claim below.
 */
export const departmentOpeningRefusal = (store: EventStore, steps: ReadonlyArray<BatchStep>): Promise<RecordError | undefined> | undefined =>
  // Nothing to read, and no promise, for the request that opens no 本级: nearly every command (issue 15, the writes at 64).
  ownOpeningListed(steps) ? refusalOfOwnOpenings(store, steps) : undefined

const refusalOfOwnOpenings = async (store: EventStore, steps: ReadonlyArray<BatchStep>): Promise<RecordError | undefined> => {
  for (let step = 0; step < steps.length; step++) {
    for (const c of listedOpenings(steps[step]!)) {
      if (c.data.department?.role !== 'own') continue
      const error = secondOwnRefusal(c.data, await departmentMembers(store, c.data.department.code, c.data.year))
      if (error) return { kind: 'refused', error, step }
    }
  }
  return undefined
}

type Opening = Parameters<typeof secondOwnRefusal>[0]
type OpeningCommand = { type: 'OpenBudgetYear'; data: Opening }
const NO_OPENINGS: ReadonlyArray<OpeningCommand> = Object.freeze([])
/** The openings a step lists (commands computed from earlier steps never open a year); one shared empty list for the many steps that list none. */
const listedOpenings = (s: BatchStep): ReadonlyArray<OpeningCommand> => {
  if (typeof s.commands === 'function') return NO_OPENINGS
  let openings: OpeningCommand[] | undefined
  for (const c of s.commands) if (c.type === 'OpenBudgetYear') (openings ??= []).push(c as OpeningCommand)
  return openings ?? NO_OPENINGS
}

/** Whether any step lists an opening of a 本级 (the department's own budget). */
const ownOpeningListed = (steps: ReadonlyArray<BatchStep>): boolean => {
  for (const s of steps) for (const c of listedOpenings(s)) if (c.data.department?.role === 'own') return true
  return false
}

/** The 本级 claim a request makes (with the step that makes it), or undefined when it opens no 本级. */
export const ownClaimOfSteps = (steps: ReadonlyArray<BatchStep>): { claim: OwnClaim; opening: Opening; step: number } | undefined => {
  for (let step = 0; step < steps.length; step++)
    for (const c of listedOpenings(steps[step]!)) {
      const claim = ownClaimOf(c.data)
      if (claim) return { claim, opening: c.data, step }
    }
  return undefined
}

/** The claim is held by another unit: the opening is refused as a second 本级, nothing written. */
export class OwnClaimTaken extends Error {
  override readonly name = 'OwnClaimTaken'
  constructor(readonly refusal: RecordError) {
    super(refusal.kind === 'refused' ? refusal.error.message : 'the 本级 claim is taken')
  }
}

/** A claim's event: it carries its opening's metadata, so its id is stamped with the opening's recording time. */
const claimEvent = (newId: LedgerDeps['newId'], type: string, claim: OwnClaim, metadata: EventMetadata): NewEvent => ({
  id: newId(Date.parse(metadata.recordedAt)),
  type,
  data: { ...claim },
  metadata,
})

/**
 * The append of an opening of a 本级, with its claim. The claim stream is read, and if another unit
 * holds it the opening is refused (OwnClaimTaken). Otherwise the claim is appended at the revision
 * read, so a claim by anyone in between makes it fail (WrongExpectedRevision: the caller decides
 * again, and then reads the other's claim):
 * - where the store appends across streams in one transaction (appendTogether: SQLite, memory),
 *   claim and opening are written together or not at all;
 * - elsewhere (EventStoreDB) the claim first, then the opening; if the opening fails, the claim is
 *   released (at the revision it was written at, so a claim made since is left alone) unless the
 *   unit-year is open as this 本级 after all. A crash between the two leaves the claim held by a
 *   unit-year that is not open: a later 本级 of another unit is refused naming it (README, the department paragraph; docs/eventstoredb.md).
 */
export const claimingAppend =
  ({ store, newId }: Pick<LedgerDeps, 'store' | 'newId'>, request: { claim: OwnClaim; opening: Opening; step: number }) =>
  async (stream: string, events: ReadonlyArray<NewEvent>, expected: ExpectedRevision): Promise<AppendResult> => {
    const { claim } = request
    const claimStream = ownClaimStream(claim.department, claim.year)
    const log = await store.readStream(claimStream)
    const holder = claimHolder(log)
    if (holder !== undefined && holder !== claim.unit) {
      const error = secondOwnRefusal(request.opening, [{ unit: holder, role: 'own' }])!
      throw new OwnClaimTaken({ kind: 'refused', error, step: request.step })
    }
    const metadata = { ...events[0]!.metadata }
    const claimBatch: AppendBatch = { stream: claimStream, events: [claimEvent(newId, OWN_CLAIMED, claim, metadata)], expected: log.length === 0 ? 'no_stream' : log.length - 1 }
    if (store.appendTogether) return (await store.appendTogether([claimBatch, { stream, events, expected }]))[1]!
    const claimed = await store.append(claimBatch.stream, claimBatch.events, claimBatch.expected)
    try {
      return await store.append(stream, events, expected)
    } catch (err) {
      await releaseUnlessOpen({ store, newId }, claim, claimed.revision, metadata, stream)
      throw err
    }
  }

/** The claim given back after its opening failed, unless the unit-year stands open as this 本级 (another request of it won). */
const releaseUnlessOpen = async ({ store, newId }: Pick<LedgerDeps, 'store' | 'newId'>, claim: OwnClaim, claimedAt: number, metadata: EventMetadata, stream: string) => {
  try {
    const [first] = await store.readStream(stream, { maxCount: 1 })
    if (ownClaimOf((first?.data ?? {}) as Opening)?.department === claim.department) return
    await store.append(ownClaimStream(claim.department, claim.year), [claimEvent(newId, OWN_RELEASED, claim, metadata)], claimedAt)
  } catch {
    // Not released (the store failed, or another claim came since): the opening's own error is the answer.
  }
}
