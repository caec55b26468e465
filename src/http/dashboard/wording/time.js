/*
 * Times in the ledger's zone (GET /api/time-zone), never the browser's: Intl reads an instant's
 * wall clock there. The as-of control takes a date-time in that zone and the page sends it as
 * written, for the server reads a date-time without an offset in that zone.
 */
import { state } from '../core/state.js'

export const ZONE_NAMES = { 'Asia/Shanghai': '北京时间' }
const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/
const clocks = {}

/** An instant's wall clock in the ledger's zone: { date, time, offset: '+08:00' }. */
export const zoneClock = (ms) => {
  const f = (clocks[state.zone] ||= new Intl.DateTimeFormat('en-US', {
    timeZone: state.zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
  }))
  const p = {}
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value
  const offset = p.timeZoneName.replace(/^GMT/, '') || '+00:00'
  return { date: p.year + '-' + p.month + '-' + p.day, time: (p.hour === '24' ? '00' : p.hour) + ':' + p.minute + ':' + p.second, offset }
}

const minutes = (o) => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(o)
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
}

/** The wall-clock offset of the ledger's zone at a date-time written in it (as the server reads it). */
const offsetAtLocal = (date, time) => {
  const wall = Date.parse(date + 'T' + time + 'Z')
  const guess = wall - minutes(zoneClock(wall).offset) * 60000
  return zoneClock(wall - minutes(zoneClock(guess).offset) * 60000).offset
}

/** "北京时间 Asia/Shanghai，UTC+08:00": the zone a shown time is in, named. */
export const zoneLabel = (offset) => (ZONE_NAMES[state.zone] ? ZONE_NAMES[state.zone] + ' ' : '') + state.zone + '，UTC' + offset

/** The as-of value as the control shows it (YYYY-MM-DDTHH:MM:SS in the ledger's zone). */
export const asOfInput = (asOf) => {
  const m = LOCAL.exec(asOf)
  if (m) return m[1] + 'T' + m[2] + (m[3] || ':00')
  const c = zoneClock(Date.parse(asOf))
  return c.date + 'T' + c.time
}

/** "2021-07-01 10:00:00（北京时间 Asia/Shanghai，UTC+08:00）": the as-of moment in the ledger's zone. */
export const describeAsOf = (asOf) => {
  const m = LOCAL.exec(asOf)
  const c = m ? { date: m[1], time: m[2] + (m[3] || ':00') } : zoneClock(Date.parse(asOf))
  return c.date + ' ' + c.time + '（' + zoneLabel(m ? offsetAtLocal(c.date, c.time) : c.offset) + '）'
}
