import type { RouteSpec } from '../route'
import { postBudgetFile } from './budget-files'
import { postCommand } from './commands'
import { listEvents } from './events'
import { health } from './health'
import { openapi } from './openapi'
import { getTable, listTables } from './tables'
import { listUnits, yearSummaryRoute } from './units'

/** Every route of the API. The app registers exactly these; /openapi.json describes exactly these. */
export const ROUTES: ReadonlyArray<RouteSpec> = [
  health,
  openapi,
  listUnits,
  yearSummaryRoute,
  listTables,
  getTable,
  listEvents,
  postCommand,
  postBudgetFile,
]
