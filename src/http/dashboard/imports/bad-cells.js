/*
 * The bad cells of a refused file, as the server names them (errors[].path: "预算明细!G10",
 * "vouchers.csv!A5", or a field path of a JSON file such as "lines[3].amount"), listed beside the
 * file input: the sheet, row and column read off the cell reference, and why, in the ledger's words.
 */
import { el } from '../core/dom.js'
import { detailOf, reasonOf } from '../core/field-errors.js'

const CELL = /^(.+)!([A-Z]+)(\d+)$/
const ROW = /^(.+)!(\d+)$/

/** A path as { sheet, row, column } where it names a cell (or a row); the path alone otherwise. */
const placeOf = (path) => {
  const cell = CELL.exec(path)
  if (cell) return { sheet: cell[1], row: cell[3], column: cell[2] }
  const row = ROW.exec(path)
  if (row) return { sheet: row[1], row: row[2], column: '' }
  return { sheet: path, row: '', column: '' }
}

/** Fills box (a region with a heading, a count and a table) with the refusal; hides it when there is none. */
export const showBadCells = (box, body) => {
  const errors = (body && body.errors) || []
  box.hidden = !body
  if (!body) return box.replaceChildren()
  const rows = errors.map((e) => {
    const p = placeOf(e.path)
    return el('tr', {}, [el('td', { text: p.sheet }), el('td', { text: p.row }), el('td', { text: p.column }), el('td', { text: reasonOf(e) })])
  })
  box.replaceChildren(
    ...[
    el('h3', { text: errors.length ? '有问题的单元格：' + errors.length + ' 处，未写入任何数据' : '未写入任何数据' }),
    // The server's summary only where no cell is named (a year already in the ledger…): the list says the rest.
    errors.length ? null : el('p', { className: 'detail', text: detailOf(body) }),
    errors.length
      ? el('div', { className: 'scroll', tabindex: '0', role: 'region', 'aria-label': '有问题的单元格（可左右滚动）' }, [
          el('table', { className: 'bad-cells' }, [
            el('thead', {}, [el('tr', {}, ['工作表或字段', '行', '列', '原因'].map((h) => el('th', { scope: 'col', text: h })))]),
            el('tbody', {}, rows),
          ]),
        ])
      : null,
    ].filter(Boolean),
  )
}

/** A refused import ({ status, body }): its bad cells in box, and that nothing was written, said with say. */
export const showRefused = (box, answer, say) => {
  showBadCells(box, answer.body || { detail: '服务器未能答复（' + answer.status + '）', errors: [] })
  say('未导入：文件有问题，见旁边的列表；未写入任何数据。')
}
