import type { EventType } from './events'
import { budgetYearOpenedV1toV2, budgetYearOpenedV2toV3 } from '../upcasters/budget-year-opened'
import { lineAllocatedV1toV2 } from '../upcasters/line-allocated'
import { yearClosedV1toV2 } from '../upcasters/year-closed'

/**
 * The schema version of each event type, and the upcasters that turn a stored payload of an older
 * version into the next one (docs/audit.md, "Events that stay readable"). Every event is stored
 * with the version of its type when it was written (metadata.schemaVersion, inside the hash);
 * an event stored without one is version 1. Stored bytes never change: reading upcasts.
 *
 * Changing an event's codec in events.ts means: bump its version here, add an upcaster from the
 * old version (one file per event type in upcasters/), and record the new shape in the catalogue
 * snapshot (test/audit/old-logs/event-catalogue.test.ts says how, and fails until it is done).
 */
export const CURRENT_VERSIONS: Readonly<Record<EventType, number>> = {
  BudgetYearOpened: 3,
  LineAllocated: 2,
  BudgetAdded: 1,
  BudgetReduced: 1,
  BudgetTransferred: 1,
  ExpenditureRecorded: 1,
  EventReversed: 1,
  EarmarkSet: 1,
  UnitTargetsSet: 1,
  ProjectTargetsSet: 1,
  SpecialFundsDeclared: 1,
  SpecialFundsDetailed: 1,
  EvaluationScheduled: 1,
  ReviewCompleted: 1,
  RecommendationAdopted: 1,
  TargetActualRecorded: 1,
  YearClosed: 2,
}

/** A pure function from a payload of version n to one of version n + 1. */
export type Upcaster = (data: unknown) => unknown

/** By event type, the upcaster from each old version (key n: from n to n + 1). */
export const UPCASTERS: Readonly<Partial<Record<EventType, Readonly<Record<number, Upcaster>>>>> = {
  BudgetYearOpened: { 1: budgetYearOpenedV1toV2, 2: budgetYearOpenedV2toV3 },
  LineAllocated: { 1: lineAllocatedV1toV2 },
  YearClosed: { 1: yearClosedV1toV2 },
}

/** The version a stored event has: its metadata's schemaVersion, or 1 when it has none. */
export const STORED_WITHOUT_VERSION = 1

export const isEventType = (type: string): type is EventType => Object.prototype.hasOwnProperty.call(CURRENT_VERSIONS, type)

/** The version an event of this type is written with now. */
export const currentVersion = (type: EventType): number => CURRENT_VERSIONS[type]

/** Types that have had more than one version: only their stored version changes how they read. */
export const VERSIONED_TYPES: ReadonlySet<string> = new Set(Object.entries(CURRENT_VERSIONS).filter(([, v]) => v > 1).map(([k]) => k))
