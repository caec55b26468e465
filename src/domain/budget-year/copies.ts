import type { BudgetYearState, Line } from './state'

/** A fresh copy the fold may still change, before any other state holds it. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] }

/*
 * The fold's copies of a state and a line, written out field by field rather than spread
 * (`{ ...s, lines }`). On Node 20 (V8 11.3) a spread of an object that was itself made by a spread
 * takes the runtime's slow path: each copy gets a new hidden class, so the copy's inline cache
 * never settles. A chain of them, which the fold is (every state is a copy of the one before), cost
 * 0.5–0.75 µs for a 23-field line against ≈ 0.025 µs for the same copy as a literal, and allocated
 * several times the object's size (docs/speed.md, "Rebuild, the folding thread's own work"). A
 * literal always makes the one hidden class, in the fields' declared order, so what a state says
 * and how it is saved (state-codec.ts spreads a line's fields in their order) are unchanged.
 */

/** A copy of `s`: the same fields, in the order initialState gives them. */
export const copyState = (s: BudgetYearState): Writable<BudgetYearState> => ({
  revision: s.revision,
  identity: s.identity,
  lines: s.lines,
  earmarks: s.earmarks,
  unitTargets: s.unitTargets,
  spentThreePublic: s.spentThreePublic,
  spentProcurement: s.spentProcurement,
  closed: s.closed,
  recommendations: s.recommendations,
  journal: s.journal,
})

/** A copy of `l`: the same fields, in the order a LineAllocated gives them (a department's unitType last, when it has one). */
export const copyLine = (l: Line): Writable<Line> => {
  const c: Writable<Line> = {
    id: l.id,
    kind: l.kind,
    basicCategory: l.basicCategory,
    projectName: l.projectName,
    functionCode: l.functionCode,
    economicCode: l.economicCode,
    fundSource: l.fundSource,
    initial: l.initial,
    added: l.added,
    reduced: l.reduced,
    transferredIn: l.transferredIn,
    transferredOut: l.transferredOut,
    spent: l.spent,
    spending: l.spending,
    targets: l.targets,
    specialFunds: l.specialFunds,
    detailed: l.detailed,
    keyEvaluation: l.keyEvaluation,
    reviews: l.reviews,
    actuals: l.actuals,
    carriedFrom: l.carriedFrom,
    carriedFundSource: l.carriedFundSource,
    closing: l.closing,
  }
  if (l.unitType !== undefined) c.unitType = l.unitType
  return c
}

/*
 * A field added to Line or to the state later, optional ones included, must be copied above. These
 * lists fail to compile, naming the key, when a key of the type is missing from them; the test
 * (test/budget/fold/copies.test.ts) checks that the copies above give exactly the keys listed.
 */
const everyKeyOf =
  <T>() =>
  <const K extends ReadonlyArray<keyof T>>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> })): K =>
    keys
export const LINE_FIELDS_COPIED = everyKeyOf<Line>()([
  'id', 'kind', 'basicCategory', 'projectName', 'functionCode', 'economicCode', 'fundSource', 'initial', 'added', 'reduced',
  'transferredIn', 'transferredOut', 'spent', 'spending', 'targets', 'specialFunds', 'detailed', 'keyEvaluation', 'reviews',
  'actuals', 'carriedFrom', 'carriedFundSource', 'closing', 'unitType',
])
export const STATE_FIELDS_COPIED = everyKeyOf<BudgetYearState>()([
  'revision', 'identity', 'lines', 'earmarks', 'unitTargets', 'spentThreePublic', 'spentProcurement', 'closed', 'recommendations', 'journal',
])
