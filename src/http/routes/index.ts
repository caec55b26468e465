import type { RouteSpec } from '../route'
import { ADMIN_ROUTES } from './admin'
import { AUDIT_ROUTES } from './audit'
import { getBudgetTemplate, postBudgetFile } from './budget-files'
import { postCloseYear } from './close-year'
import { postCommand } from './commands'
import { listEvents } from './events'
import { getExecution } from './execution'
import {
  exportDepartmentFinalTableCsv,
  exportDepartmentFinalTableXlsx,
  exportDepartmentFinalWorkbook,
  exportDepartmentTableCsv,
  exportDepartmentTableXlsx,
  exportDepartmentWorkbook,
  exportFinalTableCsv,
  exportFinalTableXlsx,
  exportFinalWorkbook,
  exportTableCsv,
  exportTableXlsx,
  exportWorkbook,
} from './exports'
import { health, ready } from './health'
import { getDepartmentIndicatorEvents, getDepartmentIndicators, getIndicatorEvents, getIndicators } from './indicators'
import { getLine } from './lines'
import { metrics } from './metrics'
import { liveUpdates } from './live'
import { postNextYear } from './next-year'
import { openapi } from './openapi'
import { PROOF_ROUTES } from './proofs'
import { RECORD_READS } from './record-reads'
import { getDepartmentFinalReport, getDepartmentReport, getFinalReport, getReport } from './reports'
import {
  getDepartmentFinalTable,
  getDepartmentTable,
  getFinalTable,
  getTable,
  listDepartmentFinalTables,
  listDepartmentTables,
  listFinalTables,
  listTables,
} from './tables'
import { oidcCallback, oidcStart } from './oidc'
import { SIGN_IN_ROUTES } from './sign-in'
import { postVoucherFile } from './voucher-files'
import { getTimeZone } from './time-zone'
import { getUnit, listDepartmentsRoute, listUnits, yearSummaryRoute } from './units'

/** Every route of the API. The app registers exactly these; /openapi.json describes exactly these. */
export const ROUTES: ReadonlyArray<RouteSpec> = [
  health,
  ready,
  metrics,
  openapi,
  getTimeZone,
  listUnits,
  getUnit,
  yearSummaryRoute,
  listTables,
  // Before getTable: its :table would take "4.csv" for a table id.
  exportTableCsv,
  exportTableXlsx,
  getTable,
  exportWorkbook,
  listFinalTables,
  exportFinalTableCsv,
  exportFinalTableXlsx,
  getFinalTable,
  exportFinalWorkbook,
  getReport,
  getFinalReport,
  getIndicators,
  getIndicatorEvents,
  listDepartmentsRoute,
  listDepartmentTables,
  // Before getDepartmentTable, as for a unit-year.
  exportDepartmentTableCsv,
  exportDepartmentTableXlsx,
  getDepartmentTable,
  exportDepartmentWorkbook,
  listDepartmentFinalTables,
  exportDepartmentFinalTableCsv,
  exportDepartmentFinalTableXlsx,
  getDepartmentFinalTable,
  exportDepartmentFinalWorkbook,
  getDepartmentReport,
  getDepartmentFinalReport,
  getDepartmentIndicators,
  getDepartmentIndicatorEvents,
  getExecution,
  getLine,
  liveUpdates,
  listEvents,
  postCommand,
  postCloseYear,
  postNextYear,
  ...RECORD_READS,
  getBudgetTemplate,
  postBudgetFile,
  postVoucherFile,
  ...AUDIT_ROUTES,
  ...PROOF_ROUTES,
  ...SIGN_IN_ROUTES,
  oidcStart,
  oidcCallback,
  ...ADMIN_ROUTES,
]
