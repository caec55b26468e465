import type { RouteSpec } from '../route'
import { ADMIN_ROUTES } from './people/admin'
import { AUDIT_ROUTES } from './audit/audit'
import { getBudgetTemplate, postBudgetFile } from './recording/budget-files'
import { postCloseYear } from './recording/close-year'
import { postCommand } from './recording/commands'
import { listEvents } from './audit/events'
import { getExecution } from './reads/execution'
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
} from './reads/exports'
import { health, ready } from './server/health'
import { getDepartmentIndicatorEvents, getDepartmentIndicators, getIndicatorEvents, getIndicators } from './reads/indicators'
import { getLine } from './reads/lines'
import { metrics } from './server/metrics'
import { liveUpdates } from './reads/live'
import { postNextYear } from './recording/next-year'
import { openapi } from './server/openapi'
import { PROOF_ROUTES } from './audit/proofs'
import { RECORD_READS } from './reads/record-reads'
import { getDepartmentFinalReport, getDepartmentReport, getFinalReport, getReport } from './reads/reports'
import {
  getDepartmentFinalTable,
  getDepartmentTable,
  getFinalTable,
  getTable,
  listDepartmentFinalTables,
  listDepartmentTables,
  listFinalTables,
  listTables,
} from './reads/tables'
import { oidcCallback, oidcStart } from './people/oidc'
import { SIGN_IN_ROUTES } from './people/sign-in'
import { postVoucherFile } from './recording/voucher-files'
import { getTimeZone } from './server/time-zone'
import { getUnit, listDepartmentsRoute, listUnits, yearSummaryRoute } from './reads/units'

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
