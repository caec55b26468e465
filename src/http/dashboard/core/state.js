/*
 * What the page shows, shared by its modules: which unit, year, table and moment, and what the
 * server last said about them. Only main.js and the controls change it.
 */
export const TABLE_KEY = 'budget-ledger.table'

export const state = {
  /** The unit shown, as the server lists it ({ unit, name, years }): one unit, never the ledger's thousands. */
  listing: null,
  unit: null,
  /** The ledger's departments (GET /api/departments). */
  departments: [],
  /** The department shown, consolidated (合并), instead of the unit; null when a unit-year is shown. */
  department: null,
  year: null,
  /**
   * The as-of view, as sent to the server: a date-time in the ledger's zone (YYYY-MM-DDTHH:MM:SS,
   * from the control) or an instant with its offset (an older bookmark); null for the ledger as it stands.
   */
  asOf: null,
  /** The ledger's time zone (IANA name), from the server. */
  zone: null,
  table: localStorage.getItem(TABLE_KEY) || '1',
  tables: [],
  revision: null,
  /** The latest revision the live stream announced. */
  latest: null,
  liveOn: false,
  /** The signed-in person ({ name, role, … }), or null when the page reads with a token. */
  person: null,
}

/** The API path of the year shown: the unit-year's, or the department's consolidated year (the same reads under it). */
export const yearPath = () =>
  (state.department ? '/api/departments/' + encodeURIComponent(state.department) : '/api/units/' + encodeURIComponent(state.unit)) + '/years/' + state.year

/** A read path at the chosen moment. */
export const withAsOf = (path) => (state.asOf ? path + (path.includes('?') ? '&' : '?') + 'asOf=' + encodeURIComponent(state.asOf) : path)
