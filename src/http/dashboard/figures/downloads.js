/* Downloads of the shown table (CSV, XLSX) and of the whole workbook, under the server's file names. */
import { getFile } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { report } from '../core/message.js'
import { state, withAsOf } from '../core/state.js'
import { tablePath, workbookPath } from './tables.js'

/** Saves the file at path under the server's file name (fallback when it gives none). */
export const saveFile = async (path, fallback) => {
  try {
    const file = await getFile(path, fallback)
    const url = URL.createObjectURL(file.blob)
    const a = el('a', { href: url, download: file.name })
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
  } catch (e) {
    report(e)
  }
}

/** Saves the file at path as of the moment shown. */
export const download = (path, fallback) => saveFile(withAsOf(path), fallback)

export const wireDownloads = () => {
  const table = (ext) => () => download(tablePath() + '.' + ext, 'table-' + state.table + '.' + ext)
  $('dl-csv').addEventListener('click', table('csv'))
  $('dl-xlsx').addEventListener('click', table('xlsx'))
  $('dl-all').addEventListener('click', () => download(workbookPath(), 'workbook.xlsx'))
}
