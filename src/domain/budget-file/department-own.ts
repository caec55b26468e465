import type { DepartmentMembership, DepartmentRole } from '../events/events'
import { type DomainError, domainError } from '../codecs/errors'

/**
 * A department has one 本级 (its own office, role `own`) a year: its name is the department's and
 * its tables come first. Pure: the ledger reads the members, this says what is wrong with them.
 */

export interface MemberRole {
  readonly unit: string
  readonly role: DepartmentRole
}

const ownUnits = (members: ReadonlyArray<MemberRole>): string[] => members.filter((m) => m.role === 'own').map((m) => m.unit)

/** The refusal of opening `unit` as a 本级 of a department-year that already has another one; undefined when it may. */
export const secondOwnRefusal = (
  opening: { readonly unit: { readonly code: string }; readonly year: number; readonly department?: DepartmentMembership },
  members: ReadonlyArray<MemberRole>,
): DomainError | undefined => {
  if (opening.department?.role !== 'own') return undefined
  const others = ownUnits(members).filter((u) => u !== opening.unit.code)
  if (others.length === 0) return undefined
  const { code } = opening.department
  return domainError(
    'second-own-unit',
    `department ${code} already has a 本级 (own unit) in ${opening.year}: unit ${others.join(', ')}; a department has one 本级 a year`,
    `部门 ${code} 的 ${opening.year} 年度已有本级单位 ${others.join('、')}，一个部门每年只有一个本级`,
    'data.department.role',
  )
}

/** What is wrong with a department-year's members as a log holds them (one recorded before the rule may have two 本级); undefined when nothing. */
export const ownProblem = (department: string, year: number, members: ReadonlyArray<MemberRole>): string | undefined => {
  const own = ownUnits(members)
  return own.length > 1 ? `department ${department} ${year} has ${own.length} 本级 (own) units: ${own.join(', ')}; a department has one 本级 a year` : undefined
}

/**
 * The 本级 of a department-year is also claimed in a stream of its own (ownClaimStream), appended
 * with the stream's revision as expected: of two openings racing across unit streams, the store
 * lets one claim through and fails the other, which then reads who holds it.
 */
export interface OwnClaim {
  readonly department: string
  readonly year: number
  readonly unit: string
}

export const OWN_CLAIMED = 'DepartmentOwnClaimed'
export const OWN_RELEASED = 'DepartmentOwnReleased'

/** The stream of a department-year's 本级 claims (not a budget stream: no unit-year reads it). */
export const ownClaimStream = (department: string, year: number): string => `department-own-${department}-${year}`

/** The unit holding the claim after these events of its stream (the last one says), or undefined when free. */
export const claimHolder = (events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>): string | undefined => {
  const last = events.at(-1)
  return last?.type === OWN_CLAIMED ? (last.data as OwnClaim).unit : undefined
}

/** The 本级 claim an opening makes, or undefined when it opens no 本级. */
export const ownClaimOf = (opening: { readonly unit: { readonly code: string }; readonly year: number; readonly department?: DepartmentMembership }): OwnClaim | undefined =>
  opening.department?.role === 'own' ? { department: opening.department.code, year: opening.year, unit: opening.unit.code } : undefined
