import { consolidate, isMemberOf, memberOrder } from '../../../projections/department/consolidate'
import type { TimePoint } from '../../domain/time/as-of'
import { type BudgetYearState, initialState } from '../../domain/budget-year'
import type { DepartmentMembership, DepartmentRole } from '../../domain/events/events'
import { parseStream } from '../../domain/codecs/primitives'
import type { EventStore } from '../../store/port'
import { logMark } from '../read-path/shared-mark'
import { budgetYearAt } from '../fold/snapshots/snapshots'

/** A member unit-year of a department, as its opening names it. */
export interface Member {
  readonly unit: string
  readonly name: string
  readonly role: DepartmentRole
}

/** A department of the ledger: its code, its name (本级's, where it has one) and its years with their members. */
export interface DepartmentListing {
  readonly code: string
  readonly name: string
  readonly years: ReadonlyArray<{ readonly year: number; readonly units: ReadonlyArray<Member> }>
}

type Membership = { year: number; member: Member; department: DepartmentMembership }

/** Every unit-year whose opening names a department, from the store's summaries of first events (one read, not one per unit-year). */
const readMemberships = async (store: EventStore): Promise<Membership[]> => {
  const found: Membership[] = []
  for (const { stream, type, name, department } of await store.listOpeningSummaries('budget-')) {
    const y = parseStream(stream)
    if (!y || type !== 'BudgetYearOpened' || name === null || department === null) continue
    // The opening was checked against its codec when it was recorded: its role is one of DepartmentRole's.
    const membership = department as DepartmentMembership
    found.push({ year: y.year, member: { unit: y.unit, name, role: membership.role }, department: membership })
  }
  return found
}

/**
 * The memberships as last read, while the store's log version (port.ts) says nothing was appended
 * since: a department's read (its ETag names its members) then asks the store nothing, as a unit's does.
 */
const known = new WeakMap<EventStore, { mark: string; found: Promise<Membership[]> }>()

const memberships = async (store: EventStore, year?: number, marked: Promise<string | undefined> | undefined = logMark(store)): Promise<Membership[]> => {
  const mark = await marked
  let kept = known.get(store)
  if (mark === undefined || kept?.mark !== mark) {
    const fresh = { mark: mark ?? '', found: readMemberships(store) }
    if (mark !== undefined) known.set(store, fresh)
    // A failed read is not kept: the next asks again.
    fresh.found.catch(() => known.get(store) === fresh && known.delete(store))
    kept = fresh
  }
  return (await kept.found).filter((m) => year === undefined || m.year === year)
}

/** The members a department's year has in the log (whatever their state at any point), 本级 first. */
export const departmentMembers = async (store: EventStore, code: string, year: number): Promise<Member[]> =>
  (await memberships(store, year))
    .filter((m) => m.department.code === code)
    .map((m) => m.member)
    .sort(byRole)

const byRole = (a: Member, b: Member) => (a.role === b.role ? a.unit.localeCompare(b.unit) : a.role === 'own' ? -1 : 1)

/** The departments of the ledger, by code; each year's members 本级 first. */
export const listDepartments = async (store: EventStore): Promise<DepartmentListing[]> => {
  const departments = new Map<string, { code: string; name: string; named: boolean; years: Map<number, Member[]> }>()
  for (const { year, member, department } of await memberships(store)) {
    const d = departments.get(department.code) ?? { code: department.code, name: department.name, named: false, years: new Map() }
    // The department is called what its 本级 calls it; failing that, what its first member does.
    if (member.role === 'own' && !d.named) Object.assign(d, { name: department.name, named: true })
    d.years.set(year, [...(d.years.get(year) ?? []), member])
    departments.set(department.code, d)
  }
  return [...departments.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((d) => ({
      code: d.code,
      name: d.name,
      years: [...d.years].sort(([a], [b]) => a - b).map(([year, units]) => ({ year, units: [...units].sort(byRole) })),
    }))
}

export interface DepartmentYear {
  /** The consolidated (合并) state; identity undefined when no member was open at the point asked for. */
  readonly state: BudgetYearState
  /** The members' own states, 本级 first, at the same point. */
  readonly members: ReadonlyArray<BudgetYearState>
}

/**
 * A department's year, consolidated from its members' unit-years, each read at the same point on
 * both time axes (a member not open then is not part of it then).
 */
export const departmentYearAt = async (store: EventStore, code: string, year: number, at: TimePoint = {}): Promise<DepartmentYear> => {
  // One mark for the memberships and every member: a department's read asks the store as one unit's does.
  const mark = logMark(store)
  const candidates = (await memberships(store, year, mark)).filter((m) => m.department.code === code)
  const states = await Promise.all(candidates.map(async (m) => (await budgetYearAt(store, m.member.unit, year, at, mark)).state))
  const members = states.filter((s) => isMemberOf(s, code)).sort(memberOrder)
  if (members.length === 0) return { state: initialState(), members: [] }
  const own = members.find((s) => s.identity!.department!.role === 'own') ?? members[0]!
  return { state: consolidate({ code, name: own.identity!.department!.name }, members), members }
}
