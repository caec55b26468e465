import type ExcelJS from 'exceljs'

/**
 * A new, empty exceljs workbook. exceljs (with its zip libraries) takes about half a second to
 * load on a busy 2-core machine, most of a server's start: it is loaded with the first workbook,
 * not by every process that might never make one.
 */
export const emptyWorkbook = (): ExcelJS.Workbook =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  new (require('exceljs') as typeof ExcelJS).Workbook()
