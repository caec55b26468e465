import { fail } from '../wire/problem'

/** Bounded pages: a history may hold millions of events, a city thousands of units. */
export const MAX_PAGE = 1000

/** A whole-number query parameter in [min, max]; `fallback` when absent; a 400 naming it otherwise. */
export function intParam(raw: unknown, name: string, min: number, max: number, fallback: number): number
export function intParam(raw: unknown, name: string, min: number, max: number, fallback: undefined): number | undefined
export function intParam(raw: unknown, name: string, min: number, max: number, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback
  const ok = typeof raw === 'string' && /^\d{1,15}$/.test(raw) && Number(raw) >= min && Number(raw) <= max
  if (!ok) fail('bad-request', `query ${name}: expected a whole number from ${min} to ${max}`, [{ path: name, reason: `expected a whole number from ${min} to ${max}` }])
  return Number(raw)
}
