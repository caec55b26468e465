/*
 * 分配预算行 (AllocateLine): a new line of the open year, its function and economic code picked
 * from the server's classification by code and name, basic (人员经费 / 公用经费) or project, its
 * fund source (for a line carried in, 上年结转, the fund source its money was budgeted from:
 * 结转资金原资金来源) and its 年初预算 in 元 or 万元.
 */
import { toYuanString } from '../wording/amount.js'
import { getJson } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { yearPath } from '../core/state.js'
import { amountField, contextFieldOf, contextFields, field, formShell, input, orNull, select, valueOf } from './controls.js'
import { currentYearRevision, recordingForm } from './form-kit.js'

const FIELDS = {
  'data.line': 'al-line',
  'data.kind': 'al-kind',
  'data.basicCategory': 'al-basic',
  'data.projectName': 'al-project',
  'data.functionCode': 'al-function',
  'data.economicCode': 'al-economic',
  'data.fundSource': 'al-source',
  'data.carriedFundSource': 'al-carried',
  'data.amount': 'al-amount',
  ...contextFieldOf('al'),
}

const isBasic = () => $('al-kind').value === 'basic'

const showKind = () => {
  $('al-basic-field').hidden = !isBasic()
  $('al-project-field').hidden = isBasic()
}

/** 结转资金原资金来源 is asked only of a line carried in (上年结转); whether it fits is the ledger's to say. */
const isCarried = () => $('al-source').value === 'carriedForward'
const showCarried = () => {
  $('al-carried-field').hidden = !isCarried()
}

const request = () => ({
  path: yearPath() + '/commands',
  body: {
    type: 'AllocateLine',
    data: {
      line: valueOf('al-line'),
      kind: $('al-kind').value,
      basicCategory: isBasic() ? $('al-basic').value || null : null,
      projectName: isBasic() ? null : orNull('al-project'),
      functionCode: $('al-function').value,
      economicCode: $('al-economic').value || null,
      fundSource: $('al-source').value,
      ...(isCarried() && $('al-carried').value ? { carriedFundSource: $('al-carried').value } : {}),
      amount: toYuanString($('al-amount').value, $('al-amount-unit').value),
    },
    reason: valueOf('al-reason'),
    document: orNull('al-document'),
    effectiveDate: valueOf('al-date'),
  },
})

const codeOptions = (entries) => entries.map((c) => el('option', { value: c.code, text: c.code + ' ' + c.name }))

let listed = false

/** The classification and fund sources, read once: the server's catalogue. */
export const showAllocate = async () => {
  if (listed) return
  const [functions, economic, sources] = await Promise.all(['functions', 'economic', 'fund-sources'].map((s) => getJson('/api/classifications/' + s)))
  $('al-function').replaceChildren(...codeOptions(functions.body))
  $('al-economic').replaceChildren(el('option', { value: '', text: '（不指定）' }), ...codeOptions(economic.body))
  $('al-source').replaceChildren(...sources.body.map((s) => el('option', { value: s.code, text: s.name })))
  $('al-carried').replaceChildren(el('option', { value: '', text: '（不指定）' }), ...sources.body.map((s) => el('option', { value: s.code, text: s.name })))
  showCarried()
  listed = true
}

export const wireAllocate = (box, recorded) => {
  box.replaceChildren(
    ...formShell('al', [
      field('al-line', '行编号', input('al-line', { placeholder: '如 p03' })),
      field('al-kind', '支出类型', select('al-kind', [['project', '项目支出'], ['basic', '基本支出']])),
      field('al-basic', '基本支出类别', select('al-basic', [['personnel', '人员经费'], ['operating', '公用经费'], ['', '未细分']])),
      field('al-project', '项目名称', input('al-project')),
      field('al-function', '功能分类科目', select('al-function', [])),
      field('al-economic', '经济分类科目', select('al-economic', [])),
      field('al-source', '资金来源', select('al-source', [])),
      field('al-carried', '结转资金原资金来源', select('al-carried', [])),
      amountField('al-amount', '年初预算'),
      ...contextFields('al'),
    ]),
  )
  showKind()
  $('al-kind').addEventListener('change', showKind)
  showCarried()
  $('al-source').addEventListener('change', showCarried)
  recordingForm({
    prefix: 'al',
    request,
    revision: currentYearRevision,
    fieldOf: (path) => FIELDS[path],
    linesOf: (body, sent) => (body.lines || []).filter((l) => l.line === sent.body.data.line),
    recorded,
  })
}
