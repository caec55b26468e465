/* Downloads of the shown table (CSV, XLSX) and of the whole workbook, under the server's file names. */
import { getFile } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { report } from '../core/message.js'
import { state, withAsOf, yearPath } from '../core/state.js'

export const download = async (path, fallback) => {
  try {
    const file = await getFile(withAsOf(path), fallback)
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

export const wireDownloads = () => {
  const table = (ext) => () => download(yearPath() + '/tables/' + state.table + '.' + ext, 'table-' + state.table + '.' + ext)
  $('dl-csv').addEventListener('click', table('csv'))
  $('dl-xlsx').addEventListener('click', table('xlsx'))
  $('dl-all').addEventListener('click', () => download(yearPath() + '/workbook.xlsx', 'budget.xlsx'))
}
