import type { DepartmentMembership, DepartmentRole } from './events'
import { type DomainError, domainError } from './errors'

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
