/*
 * The budget dashboard (docs/dashboard.md): native ES modules, no build step. This module joins
 * them: the address and token (address.js, api.js, token-panel.js), the unit-year or department
 * and moment (unit-year.js, department.js, asof.js), what is shown (view.js: indicators.js, charts.js, tables.js), the
 * downloads and the live updates. Every figure is the server's; the page only shows it.
 */
import { readAddress, writeAddress } from './core/address.js'
import { ApiError, currentToken, getJson, mayExplain, onUnauthorized } from './core/api.js'
import { showAsOfControl, wireAsOf } from './read/asof.js'
import { resizeCharts } from './figures/charts.js'
import { chooseDepartmentDefaults, fillDepartments, loadDepartments, showScope, wireDepartments } from './read/department.js'
import { showConnected, showContext, showPrintDate } from './read/context.js'
import { $ } from './core/dom.js'
import { wireDownloads } from './figures/downloads.js'
import { closeExplain, mayFollow, setExplainable, wireExplain } from './audit/explain.js'
import { showAuditScreens, showTableChoices, wireAuditScreens } from './audit/screens.js'
import { wireHeaderToggle } from './read/header.js'
import { startLive, stopLive } from './read/live.js'
import { report, showMessage } from './core/message.js'
import { TABLE_KEY, state, yearPath } from './core/state.js'
import { offerProvider, resumeSession, showPerson, wireSignIn } from './sign-in/session.js'
import { renderTabs } from './figures/tables.js'
import { showRecording, wireRecording } from './record/recording.js'
import { showBudgetImport, wireBudgetImport } from './imports/budget-import.js'
import { showVoucherImport, wireVoucherImport } from './imports/voucher-import.js'
import { askToken, wireTokenPanel } from './sign-in/token-panel.js'
import { chooseDefaults, fillSelectors, loadUnit, wireSelectors } from './read/unit-year.js'
import { isRefreshing, refresh, showTable } from './read/view.js'

const selectTable = (table) => {
  state.table = table
  localStorage.setItem(TABLE_KEY, table)
  writeAddress()
  renderTabs(selectTable)
  closeExplain()
  $('tabs').querySelector('[aria-current]')?.focus()
  showTable().catch(report)
}

const reload = () => refresh(selectTable)

const onRevision = (msg) => {
  if (msg.unit !== state.unit || msg.year !== state.year) return
  state.latest = msg.revision
  // A past moment does not change; the live line says that the ledger has moved on.
  if (state.asOf) return showConnected()
  // A refresh under way checks `latest` when it ends and goes again if it read older figures.
  if (!isRefreshing() && msg.revision !== state.revision) reload().catch(report)
}

/** The recording forms and the imports, for a finance person (their modules decide). */
const offerRecording = () => {
  showBudgetImport()
  showVoucherImport()
  return showRecording(true)
}

/** The tables and indicators of a department's year: read only, nothing of one unit-year's but its cells' parts (finance, auditors). */
const openDepartment = async () => {
  stopLive()
  setExplainable(await mayExplain(yearPath()))
  await showAuditScreens(false, true)
  await reload()
  showTableChoices()
}

const openYear = async () => {
  state.tables = []
  state.revision = null
  state.latest = null
  const department = chooseDepartmentDefaults()
  if (!department) chooseDefaults()
  writeAddress()
  fillSelectors()
  fillDepartments()
  showScope()
  showContext()
  if (department) return openDepartment()
  startLive(onRevision)
  const audits = await mayExplain(yearPath())
  setExplainable(audits)
  await offerRecording()
  // Side by side: the first read of the year must start before the live stream's first news.
  await Promise.all([showAuditScreens(audits, true), reload()])
  showTableChoices()
}

const start = async () => {
  $('token-panel').hidden = true
  $('main').hidden = false
  showMessage('')
  try {
    const [, zone] = await Promise.all([loadUnit(), getJson('/api/time-zone'), loadDepartments()])
    state.zone = zone.body.timeZone
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) report(e)
    return
  }
  // A finance person may import a budget before the ledger holds any year.
  showBudgetImport()
  if (!chooseDefaults()) {
    const finance = state.person?.role === 'finance'
    showMessage('账本中还没有预算年度：' + (finance ? '请在下方新建预算年度，或在“导入预算”中导入预算文件。' : '请先导入预算文件（budget-ledger import FILE）。'), 'info')
    await showRecording(false).catch(report)
    document.body.dataset.state = 'ready'
    return
  }
  showAsOfControl()
  await openYear().catch(report)
}

const askCredentials = (why) => {
  askToken(why)
  offerProvider()
}

onUnauthorized(() => {
  showPerson(null)
  askCredentials('令牌无效或已被撤销，请重新登录或输入看板令牌。')
})
readAddress()
wireTokenPanel(start)
wireSignIn(start, () => askCredentials('已退出。'))
wireSelectors(() => openYear().catch(report))
wireDepartments(() => openYear().catch(report))
wireAsOf(() => {
  closeExplain()
  writeAddress()
  showContext()
  showConnected()
  if (!state.department) {
    offerRecording().catch(report)
    showAuditScreens(mayFollow()).catch(report)
  }
  reload().catch(report)
})
/** A year just opened through a form: that unit's years again, and that year shown. */
const showOpened = async (unit, year) => {
  state.unit = unit
  await loadUnit()
  state.department = null
  state.year = year
  chooseDefaults()
  showMessage('')
  showAsOfControl()
  await openYear()
}
wireRecording(
  () => {
    offerRecording().catch(report)
    reload().catch(report)
  },
  (unit, year) => showOpened(unit, year).catch(report),
)
wireVoucherImport(() => reload().catch(report))
wireBudgetImport((unit, year) => showOpened(unit, year).catch(report))
wireAuditScreens(() => reload().catch(report))
wireDownloads()
wireExplain()
wireHeaderToggle()
window.addEventListener('resize', resizeCharts)
window.addEventListener('beforeprint', showPrintDate)
if (currentToken()) start()
else
  resumeSession()
    .then((me) => (me ? start() : askCredentials('')))
    .catch(() => askCredentials(''))
