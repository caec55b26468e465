import type ExcelJS from 'exceljs'
import type { BudgetFile } from '../../domain/budget-file/budget-file'
import { BUDGET_FILE_FORMAT } from '../../domain/budget-file/budget-file'
import { AmountUnit } from '../../domain/money/money'
import type { FieldError } from '../../domain/codecs/decode'
import { type CellValue, type SheetGrid, cellAmount, cellError, cellRef, cellText, rowIsEmpty, showCell } from '../recording/sheet-grid'

/**
 * The budget file as a workbook: one row per line on `预算明细` under a few header rows, and the
 * parts that are not lines (comparatives, earmarks, targets) each on a plain sheet of its own. The
 * template offers it, the ledger's own workbook export appends it, and the import reads it back
 * into the same BudgetFile the JSON form decodes to, so every rule of the codec and the import
 * applies, and a bad cell is named by sheet, row and column.
 */
export const LINES_SHEET = '预算明细'
export const PREVIOUS_SHEET = '上年对比'
export const EARMARKS_SHEET = '专项额度'
export const UNIT_TARGETS_SHEET = '整体绩效目标'
export const PROJECT_TARGETS_SHEET = '项目绩效目标'
export const HELP_SHEET = '填写说明'
/** The sheets addBudgetFileSheets writes, in order. */
export const BUDGET_FILE_SHEETS = [LINES_SHEET, PREVIOUS_SHEET, EARMARKS_SHEET, UNIT_TARGETS_SHEET, PROJECT_TARGETS_SHEET] as const

/** The header rows of 预算明细: label in column A, value in B; [key, label, meaning]. */
const HEADERS = [
  ['unitCode', '单位编码', '预算单位编码，3–12 位数字（如 101065）'],
  ['unitName', '单位名称', '单位全称，照批复填写'],
  ['unitType', '单位类型', 'administrative（行政单位）或 institution（事业单位），决定部门→政府经济分类的对应'],
  ['year', '预算年度', '如 2021'],
  ['approvedOn', '批复日期', 'YYYY-MM-DD：导入的每个事件的业务日期，须在上年 10 月 1 日至本年 12 月 31 日之间'],
  ['document', '批复文号', '批复文件的文号；没有则留空'],
  ['source', '数据来源', '数字从哪里来，记为每个事件的理由；可留空'],
] as const
/** An optional header row (a person adds it; the template leaves it out): the unit of every amount of the workbook; without it, 元. */
const AMOUNT_UNIT_HEADER = ['amountUnit', '金额单位', '元（默认）或 万元：本工作簿所有金额的单位；万元至多六位小数（0.000001 万元 = 1 分），超过的拒绝而不四舍五入'] as const

/** The columns of the line rows, in order: [key, label, meaning]. */
const LINE_COLUMNS = [
  ['id', '行号', '本年内唯一的预算行编号：字母、数字、. _ -，至多 64 个字符（如 basic、p01）'],
  ['kind', '类型', 'basic（基本支出）或 project（项目支出）'],
  ['projectName', '项目名称', '项目支出填项目名称；基本支出留空'],
  ['functionCode', '功能分类科目编码', '支出功能分类：3、5 或 7 位数字，以 2 开头（如 215、2150502）；只按来源写到已知的层级'],
  ['economicCode', '经济分类科目编码', '部门支出经济分类：3 或 5 位数字，以 3 开头（如 302、30217）；不知道则留空'],
  ['fundSource', '资金来源', '资金来源编号，如 general.appropriation（一般公共预算财政拨款），全部编号见 docs/budget-file.md'],
  ['amount', '金额（元）', '年初预算，单位元，至多两位小数（如 125000.50）；“金额单位”行写万元时为万元，至多六位小数；不写千分位逗号'],
  ['basicCategory', '基本支出类别', '基本支出：personnel（人员经费）或 operating（公用经费），不分则留空；项目支出留空'],
  ['basicAmount', '其中基本支出', '一个“项”的年初预算既有基本支出又有项目支出时：基本支出部分（此时类型、金额留空，填项目名称），记为两条行 <行号>.basic 和 <行号>.project'],
  ['projectAmount', '其中项目支出', '同上：项目支出部分；两部分都要填'],
  ['carriedFundSource', '结转资金原资金来源', '仅资金来源为 carriedForward（上年结转）的行：结转资金原来的资金来源编号（如 general.appropriation）；其他行留空'],
] as const

const KIND_ALIASES: Record<string, string> = { 基本支出: 'basic', 项目支出: 'project' }
const BASIC_ALIASES: Record<string, string> = { 人员经费: 'personnel', 公用经费: 'operating' }

const COMPARATIVES = [
  ['total', '上年收支总计'],
  ['generalBudget', '上年一般公共预算收支预算'],
  ['governmentFund', '上年政府性基金预算'],
  ['stateCapital', '上年国有资本经营预算'],
  ['threePublic.abroad', '上年因公出国(境)费'],
  ['threePublic.reception', '上年公务接待费'],
  ['threePublic.vehicleOperation', '上年公务用车运行维护费'],
  ['threePublic.vehiclePurchase', '上年公务用车购置费'],
  ['officeOperating', '上年机关运行经费'],
  ['finalAccounts.total', '上年决算 收入支出总计'],
  ['finalAccounts.yearIncome', '上年决算 本年收入合计'],
  ['finalAccounts.yearExpenditure', '上年决算 本年支出合计'],
  ['finalAccounts.basic', '上年决算 基本支出'],
  ['finalAccounts.project', '上年决算 项目支出'],
  ['finalAccounts.fiscalTotal', '上年决算 财政拨款收入支出总计'],
  ['finalAccounts.generalBudget', '上年决算 一般公共预算财政拨款支出'],
  ['finalAccounts.officeOperating', '上年决算 公用经费（机关运行经费）'],
  ['finalAccounts.threePublic.abroad', '上年决算 因公出国(境)费'],
  ['finalAccounts.threePublic.reception', '上年决算 公务接待费'],
  ['finalAccounts.threePublic.vehicleOperation', '上年决算 公务用车运行维护费'],
  ['finalAccounts.threePublic.vehiclePurchase', '上年决算 公务用车购置费'],
  ['finalAccounts.threePublicTotal', '上年决算 “三公”经费合计'],
] as const

/** A nested record of amounts as rows keyed by dotted path ("threePublic.abroad"), and back. */
const flatten = (o: object, prefix = ''): Array<readonly [string, string]> =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as const] : v && typeof v === 'object' ? flatten(v as object, `${prefix}${k}.`) : []))
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])
const unflatten = (rows: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [path, v] of Object.entries(rows)) {
    const keys = path.split('.')
    // kept flat, for the codec to refuse by its name, rather than walked into a prototype
    if (keys.some((k) => UNSAFE.has(k))) {
      Object.defineProperty(out, path, { value: v, enumerable: true, writable: true, configurable: true })
      continue
    }
    let at = out
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>
    at[keys.at(-1)!] = v
  }
  return out
}

const EARMARKS = [
  ['threePublic.abroad', '因公出国(境)费'],
  ['threePublic.reception', '公务接待费'],
  ['threePublic.vehicleOperation', '公务用车运行维护费'],
  ['threePublic.vehiclePurchase', '公务用车购置费'],
  ['officeOperating', '机关运行经费'],
  ['procurement.goods', '政府采购货物'],
  ['procurement.works', '政府采购工程'],
  ['procurement.services', '政府采购服务'],
] as const

const UNIT_TARGET_KINDS = { goal: '年度履职目标', task: '年度主要任务', indicator: '绩效指标' } as const
const UNIT_TARGET_HEADER = ['类别', '一级指标 / 任务名称 / 目标', '二级指标 / 主要内容', '三级指标', '指标值类型', '指标值', '度量单位', '指标值说明']
const PROJECT_TARGET_HEADER = ['行号', '类别', '三级指标', '指标值类型', '指标值', '度量单位']

// ---------------------------------------------------------------------------------------------
// Writing

const bold = (row: ExcelJS.Row) => (row.font = { bold: true })

/** Adds the budget file's sheets to a workbook (a template, or the ledger's own export). */
export const addBudgetFileSheets = (wb: ExcelJS.Workbook, f: BudgetFile): void => {
  const ws = wb.addWorksheet(LINES_SHEET)
  const head: Record<string, string | number> = {
    unitCode: f.unit.code,
    unitName: f.unit.name,
    unitType: f.unitType,
    year: f.year,
    approvedOn: f.approvedOn,
    document: f.document ?? '',
    source: f.source ?? '',
  }
  for (const [key, label] of HEADERS) ws.addRow([label, head[key]])
  ws.addRow([])
  bold(ws.addRow(LINE_COLUMNS.map((c) => c[1])))
  for (const l of f.lines)
    ws.addRow([l.id, l.kind ?? '', l.projectName ?? '', l.functionCode, l.economicCode ?? '', l.fundSource, l.amount ?? '', l.basicCategory ?? '', l.basicAmount ?? '', l.projectAmount ?? '', l.carriedFundSource ?? ''])
  // Codes and amounts stay text cells: Excel would drop a code's leading zeros or show an amount as a float.
  for (const c of [1, 2, 4, 5, 7, 9, 10]) ws.getColumn(c).numFmt = '@'
  ws.columns.forEach((c, i) => (c.width = [12, 10, 28, 16, 16, 24, 16, 14, 14, 14, 24][i] ?? 12))

  const keyed = (name: string, rows: ReadonlyArray<readonly [string, string]>, values: Record<string, string | undefined>) => {
    const sheet = wb.addWorksheet(name)
    bold(sheet.addRow(['项目', '金额（元）', '说明']))
    for (const [key, label] of rows) if (values[key] !== undefined) sheet.addRow([key, values[key], label])
    sheet.getColumn(2).numFmt = '@'
    sheet.columns.forEach((c, i) => (c.width = [30, 16, 28][i] ?? 12))
  }
  const prev = f.previousYear ?? {}
  keyed(PREVIOUS_SHEET, COMPARATIVES, Object.fromEntries(flatten(prev)))
  keyed(EARMARKS_SHEET, EARMARKS, { ...(f.earmarks ?? {}) })

  const unit = wb.addWorksheet(UNIT_TARGETS_SHEET)
  bold(unit.addRow(UNIT_TARGET_HEADER))
  for (const g of f.unitTargets?.annualGoals ?? []) unit.addRow([UNIT_TARGET_KINDS.goal, g])
  for (const t of f.unitTargets?.tasks ?? []) unit.addRow([UNIT_TARGET_KINDS.task, t.name, t.content])
  for (const i of f.unitTargets?.indicators ?? [])
    unit.addRow([UNIT_TARGET_KINDS.indicator, i.level1, i.level2, i.level3, i.operator, i.value, i.unit, i.explanation])
  unit.eachRow((r) => r.eachCell((c) => (c.numFmt = '@')))

  const project = wb.addWorksheet(PROJECT_TARGETS_SHEET)
  bold(project.addRow(PROJECT_TARGET_HEADER))
  for (const l of f.lines) for (const t of l.targets ?? []) project.addRow([l.id, t.category, t.name, t.operator, t.value, t.unit])
  project.eachRow((r) => r.eachCell((c) => (c.numFmt = '@')))
}

/** A sheet explaining every cell of the template, in Chinese. */
export const addHelpSheet = (wb: ExcelJS.Workbook): void => {
  const ws = wb.addWorksheet(HELP_SHEET)
  bold(ws.addRow(['工作表', '位置', '名称', '填写说明']))
  HEADERS.forEach(([, label, meaning], i) => ws.addRow([LINES_SHEET, `A${i + 1}/B${i + 1}`, label, meaning]))
  LINE_COLUMNS.forEach(([, label, meaning], i) => ws.addRow([LINES_SHEET, `${String.fromCharCode(65 + i)} 列（第 ${HEADERS.length + 3} 行起）`, label, meaning]))
  ws.addRow([LINES_SHEET, `A/B 列（可选，行号表头之上任一行）`, AMOUNT_UNIT_HEADER[1], AMOUNT_UNIT_HEADER[2]])
  ws.addRow([LINES_SHEET, '', '每行', '一条预算行；一条行只有一个资金来源，两个来源写两行。空行跳过'])
  ws.addRow([PREVIOUS_SHEET, 'A/B 列', '项目 / 金额', `上年预算数，只填来源写明的；项目可填：${COMPARATIVES.map((c) => `${c[0]}（${c[1]}）`).join('、')}`])
  ws.addRow([EARMARKS_SHEET, 'A/B 列', '项目 / 金额', `行内指定的额度；不写的项目为“未说明”，不等于 0。项目可填：${EARMARKS.map((c) => `${c[0]}（${c[1]}）`).join('、')}`])
  ws.addRow([UNIT_TARGETS_SHEET, 'A 列', '类别', `${Object.values(UNIT_TARGET_KINDS).join('、')}；年度履职目标填 B 列，任务填 B（名称）C（内容），绩效指标填 B–H 列`])
  ws.addRow([UNIT_TARGETS_SHEET, 'E 列', '指标值类型', '≥、≤、=、↑、↓ 或 定性'])
  ws.addRow([PROJECT_TARGETS_SHEET, 'A–F 列', '行号 / 类别 / …', '项目的绩效目标：行号同预算明细；类别 output（产出）、effect（效益）或 satisfaction（满意度）'])
  ws.addRow(['', '', '金额', '单位元（或“金额单位”行写明的万元），元至多两位小数；数字单元格 1234.5 读作 1234.50，超过一分的不四舍五入而是拒绝'])
  ws.addRow(['', '', '导入', '任何一个单元格有错，整个文件都不写入；错误会指出工作表、行、列和原因'])
  ws.columns.forEach((c, i) => (c.width = [14, 22, 18, 90][i] ?? 12))
}

/** A one-unit example, so the template itself imports and shows what each cell takes. */
const EXAMPLE = {
  format: BUDGET_FILE_FORMAT,
  unit: { code: '900001', name: '示例单位（请改为本单位）' },
  unitType: 'administrative',
  year: 2021,
  approvedOn: '2021-03-01',
  document: '示例〔2021〕1号',
  source: '示例：请改为批复文件名称',
  lines: [
    { id: 'basic', kind: 'basic', basicCategory: 'personnel', functionCode: '2010301', economicCode: '301', fundSource: 'general.appropriation', amount: '1200000.00' },
    { id: 'p01', kind: 'project', projectName: '示例项目', functionCode: '2010302', economicCode: null, fundSource: 'general.appropriation', amount: '300000.50' },
  ],
} as unknown as BudgetFile

export const addTemplateSheets = (wb: ExcelJS.Workbook): void => {
  addBudgetFileSheets(wb, EXAMPLE)
  addHelpSheet(wb)
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A budget file read from a workbook, not yet decoded; where each of its fields came from. */
export interface ReadWorkbook {
  readonly input: Record<string, unknown>
  /** Field path (as decode names it) → the cell it was read from. */
  readonly cells: ReadonlyMap<string, string>
  /** Cells that could not be read at all (an amount with three decimals, a missing sheet). */
  readonly errors: ReadonlyArray<FieldError>
}

/** Reads the budget sheets of a workbook into a budget-file input. */
export const readBudgetWorkbook = (grids: ReadonlyArray<SheetGrid>): ReadWorkbook => {
  const cells = new Map<string, string>()
  const errors: FieldError[] = []
  const sheet = (name: string) => grids.find((g) => g.name === name)
  const lines = sheet(LINES_SHEET)
  if (!lines) {
    const names = grids.map((g) => g.name).join(', ')
    return { input: {}, cells, errors: [{ path: '', expected: `a sheet named ${LINES_SHEET}`, got: names, message: `the workbook has no sheet named ${LINES_SHEET} (its sheets: ${names}); download the template (budget-ledger template) for the layout` }] }
  }
  // Reading a cell marks the field path it fills with that cell, so the codec's errors can name it.
  const at = (g: SheetGrid, row: number, col: number, path: string): CellValue => {
    cells.set(path, cellRef(g.name, row, col))
    return g.rows[row]?.[col] ?? null
  }
  // The unit of every amount: read before any amount, from its optional header row.
  const unitRow = lines.rows.findIndex((r) => cellText(r[0] ?? null) === AMOUNT_UNIT_HEADER[1])
  const unitText = unitRow < 0 ? undefined : cellText(lines.rows[unitRow]![1] ?? null)
  const amountUnit: AmountUnit = unitText === '万元' ? '万元' : '元'
  if (unitText !== undefined && !AmountUnit.is(unitText))
    errors.push(cellError(cellRef(lines.name, unitRow, 1), 'one of "元", "万元"', unitText))
  // Amounts are read as typed, in the sheet's unit; the budget file's decoding converts them, as
  // for a JSON file that says its amountUnit (src/domain/money/amount-unit.ts).
  const money = (g: SheetGrid, row: number, col: number, path: string): string | undefined => {
    const v = at(g, row, col, path)
    const m = cellAmount(v, amountUnit)
    if (m && 'expected' in m) errors.push(cellError(cellRef(g.name, row, col), m.expected, m.got))
    return m && 'ok' in m ? m.ok : undefined
  }
  /** Text kept exactly as written (targets, names); numbers as their shortest form. */
  const text = (v: CellValue): string => (v === null ? '' : typeof v === 'string' ? v : cellText(v) ?? '')

  // The header rows: found by their label in column A, so a row added above them does not shift them.
  const input: Record<string, unknown> = { format: BUDGET_FILE_FORMAT, ...(amountUnit === '万元' ? { amountUnit } : {}) }
  if (unitRow >= 0) cells.set('amountUnit', cellRef(lines.name, unitRow, 1))
  const headerRow = (label: string) => lines.rows.findIndex((r) => cellText(r[0] ?? null) === label)
  const head: Record<string, unknown> = {}
  for (const [key, label] of HEADERS) {
    const row = headerRow(label)
    if (row < 0) {
      errors.push({ path: key, expected: `a row labelled ${label} in column A`, got: 'none', message: `${LINES_SHEET}: no row labelled ${label} in column A (the ${key} of the budget)` })
      continue
    }
    head[key] = cellText(at(lines, row, 1, key === 'unitCode' ? 'unit.code' : key === 'unitName' ? 'unit.name' : key))
  }
  input.unit = { code: head.unitCode, name: head.unitName }
  input.unitType = head.unitType
  input.year = typeof head.year === 'string' && /^\d+$/.test(head.year) ? Number(head.year) : head.year
  input.approvedOn = head.approvedOn
  input.document = head.document ?? null
  if (head.source !== undefined) input.source = head.source

  const first = headerRow(LINE_COLUMNS[0][1])
  const fileLines: Array<Record<string, unknown>> = []
  if (first < 0) errors.push({ path: 'lines', expected: `a header row starting with ${LINE_COLUMNS[0][1]}`, got: 'none', message: `${LINES_SHEET}: no header row starting with ${LINE_COLUMNS[0][1]} in column A` })
  else
    for (let r = first + 1; r < lines.rows.length; r++) {
      if (rowIsEmpty(lines.rows[r])) continue
      const p = `lines[${fileLines.length}]`
      const line: Record<string, unknown> = {}
      const col = (key: (typeof LINE_COLUMNS)[number][0]) => LINE_COLUMNS.findIndex((c) => c[0] === key)
      const cell = (key: (typeof LINE_COLUMNS)[number][0]) => cellText(at(lines, r, col(key), `${p}.${key}`))
      line.id = cell('id')
      const kind = cell('kind')
      line.kind = kind === undefined ? undefined : (KIND_ALIASES[kind] ?? kind)
      const name = at(lines, r, col('projectName'), `${p}.projectName`)
      if (cellText(name) !== undefined) line.projectName = text(name)
      line.functionCode = cell('functionCode')
      line.economicCode = cell('economicCode') ?? null
      line.fundSource = cell('fundSource')
      // Each amount only where the row has it: a mixed 项 gives its two parts and no amount.
      for (const key of ['amount', 'basicAmount', 'projectAmount'] as const) {
        const amount = money(lines, r, col(key), `${p}.${key}`)
        if (amount !== undefined || key === 'amount') line[key] = amount
      }
      const mixed = line.basicAmount !== undefined || line.projectAmount !== undefined
      if (mixed && line.amount === undefined) delete line.amount
      const basic = cell('basicCategory')
      if (basic !== undefined) line.basicCategory = BASIC_ALIASES[basic] ?? basic
      else if (line.kind === 'basic' || mixed) line.basicCategory = null
      // A workbook written before the column existed has no such cell: the line is not carried in.
      const carried = cell('carriedFundSource')
      if (carried !== undefined) line.carriedFundSource = carried
      fileLines.push(line)
    }
  input.lines = fileLines

  const keyedRows = (name: string, path: string): Record<string, unknown> | undefined => {
    const g = sheet(name)
    if (!g) return undefined
    const out: Record<string, unknown> = {}
    for (let r = 1; r < g.rows.length; r++) {
      if (rowIsEmpty(g.rows[r])) continue
      const key = cellText(g.rows[r]![0] ?? null) ?? ''
      const amount = money(g, r, 1, `${path}.${key}`)
      cells.set(`${path}.${key}`, cellRef(g.name, r, 1))
      out[key] = amount ?? ''
    }
    return Object.keys(out).length > 0 ? out : undefined
  }
  const prev = keyedRows(PREVIOUS_SHEET, 'previousYear')
  // A dotted key is the field's path: its cell is already known by it (previousYear.threePublic.abroad).
  if (prev) input.previousYear = unflatten(prev)
  const earmarks = keyedRows(EARMARKS_SHEET, 'earmarks')
  if (earmarks) input.earmarks = earmarks

  const unit = sheet(UNIT_TARGETS_SHEET)
  if (unit && unit.rows.slice(1).some((r) => !rowIsEmpty(r))) {
    const targets = { annualGoals: [] as unknown[], tasks: [] as unknown[], indicators: [] as unknown[] }
    for (let r = 1; r < unit.rows.length; r++) {
      const row = unit.rows[r]!
      if (rowIsEmpty(row)) continue
      const c = (i: number) => text(row[i] ?? null)
      const kind = cellText(row[0] ?? null)
      const mark = (path: string) => cells.set(path, cellRef(unit.name, r, 1))
      if (kind === UNIT_TARGET_KINDS.goal) mark(`unitTargets.annualGoals[${targets.annualGoals.length}]`), targets.annualGoals.push(c(1))
      else if (kind === UNIT_TARGET_KINDS.task) mark(`unitTargets.tasks[${targets.tasks.length}]`), targets.tasks.push({ name: c(1), content: c(2) })
      else if (kind === UNIT_TARGET_KINDS.indicator) {
        mark(`unitTargets.indicators[${targets.indicators.length}]`)
        targets.indicators.push({ level1: c(1), level2: c(2), level3: c(3), operator: c(4), value: c(5), unit: c(6), explanation: c(7) })
      } else errors.push(cellError(cellRef(unit.name, r, 0), `one of ${Object.values(UNIT_TARGET_KINDS).join(', ')}`, showCell(row[0] ?? null)))
    }
    input.unitTargets = targets
  }

  const project = sheet(PROJECT_TARGETS_SHEET)
  if (project)
    for (let r = 1; r < project.rows.length; r++) {
      const row = project.rows[r]!
      if (rowIsEmpty(row)) continue
      const id = cellText(row[0] ?? null)
      const index = fileLines.findIndex((l) => l.id === id)
      if (index < 0) {
        errors.push(cellError(cellRef(project.name, r, 0), `the 行号 of a line on ${LINES_SHEET}`, showCell(row[0] ?? null)))
        continue
      }
      const line = fileLines[index]!
      const list = (line.targets ??= []) as unknown[]
      cells.set(`lines[${index}].targets[${list.length}]`, cellRef(project.name, r, 0))
      const c = (i: number) => text(row[i] ?? null)
      list.push({ category: c(1), name: c(2), operator: c(3), value: c(4), unit: c(5) })
    }
  return { input, cells, errors }
}

/**
 * Codec errors of a budget file read from a workbook, in the workbook's terms: each names the cell
 * it came from (or the nearest one: the row of a target), with the codec's reason.
 */
export const inWorkbookTerms = (read: ReadWorkbook, errors: ReadonlyArray<FieldError>): FieldError[] =>
  errors.map((e) => {
    const cell = cellOf(read, e.path)
    if (cell === undefined) return e
    const reason = e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message
    // The Chinese names the cell too: it said the field of the file.
    const words = e.words?.startsWith(`${e.path}：`) ? `${cell.ref}：${e.words.slice(e.path.length + 1)}` : e.words
    return { ...e, path: cell.ref, message: `${cell.ref}: ${reason}${cell.exact ? '' : ` (${e.path})`}`, ...(words === undefined ? {} : { words }) }
  })

/** The cell a field of the file was read from, or the nearest one above it (the row of a target). */
export const cellOf = (read: ReadWorkbook, field: string): { ref: string; exact: boolean } | undefined => {
  let path = field
  while (path !== '' && !read.cells.has(path)) {
    const up = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '')
    path = up === path ? '' : up
  }
  const ref = read.cells.get(path)
  return ref === undefined ? undefined : { ref, exact: path === field }
}

/**
 * The errors of a read workbook: the cells that could not be read, then the codec's errors in the
 * workbook's terms, less those about a cell already named (an unreadable amount is also missing).
 */
export const workbookErrors = (read: ReadWorkbook, decodeErrors: ReadonlyArray<FieldError>): FieldError[] => {
  const named = new Set(read.errors.map((e) => e.path))
  return [...read.errors, ...inWorkbookTerms(read, decodeErrors).filter((e) => !named.has(e.path))]
}
