import { describe, expect, it } from 'vitest'
import { YEAR_PATH, addBody, isProblem, serverForTests } from '../../support/shells/http'

describe('HTTP: indicators and the events behind them', () => {
  const t = serverForTests({ fixture: true, each: true })

  it('given two additions, one reversed, when 预算调整率 is explained, then its numerator lists both and the reversal, adding up to the figure shown', async () => {
    const first = await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('3.00') })
    await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: addBody('2.00') })
    const reversal = {
      type: 'ReverseEvent',
      data: { event: first.body.events[0].id },
      reason: '更正',
      document: null,
      effectiveDate: '2021-05-02',
    }
    expect((await t.request('POST', `${YEAR_PATH}/commands`, { token: 'finance', body: reversal })).status).toBe(201)

    const r = await t.request('GET', `${YEAR_PATH}/indicators/${encodeURIComponent('预算调整率')}/events`, { token: 'auditor' })
    expect(r.status).toBe(200)
    const gross = r.body.variants.find((v: { id: string }) => v.id === 'gross')
    const events = gross.numerator.events as Array<{ type: string; amount: string; actor: string; reason: string }>
    expect(events.map((e) => e.type)).toEqual(['BudgetAdded', 'BudgetAdded', 'EventReversed'])
    expect(events.map((e) => e.amount)).toEqual(['3.00', '2.00', '-3.00'])
    expect(events.every((e) => e.actor !== '' && e.reason !== '')).toBe(true)
    expect(gross.numerator.total).toBe('2.00')
  })

  it('when the indicator is unknown, then a 404 problem names the indicators there are', async () => {
    const r = await t.request('GET', `${YEAR_PATH}/indicators/nope/events`, { token: 'finance' })
    expect(r.status).toBe(404)
    expect(isProblem(r)).toBe(true)
    expect(r.body.detail).toContain('预算执行率')
  })
})
