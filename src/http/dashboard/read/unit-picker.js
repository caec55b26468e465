/*
 * The unit picker, for a ledger of thousands of units: a combobox (WAI-ARIA 1.2, list autocomplete)
 * over the server's search (GET /api/units?q=, a page at a time). Opened without typing (a click,
 * ↓ or Alt+↓) it lists the first units; typing searches codes by their start and names by any
 * part; “更多单位” fetches the next page. ↑/↓ move, Enter chooses, Escape closes; focus stays in the box.
 */
import { findUnits } from '../core/api.js'
import { $, el } from '../core/dom.js'
import { report } from '../core/message.js'
import { state } from '../core/state.js'

/** How long typing may pause before the search goes out: one request per word, not per key. */
const TYPING_PAUSE = 200

let listed = []
let next = null
let active = -1
/** The latest search: an answer to an older one, arriving late, is dropped. */
let asked = 0
let timer = null
let chosen = () => {}

const label = (u) => u.unit + ' ' + (u.name || '')

/** The box shows the unit shown (or that a department is). */
export const showChosenUnit = () => {
  $('unit').value = state.department ? '—（部门合并）' : state.listing ? label(state.listing) : ''
}

/** What was typed: nothing while the box still shows the choice. */
const typed = () => {
  const v = $('unit').value.trim()
  return (state.listing && v === label(state.listing).trim()) || v === '—（部门合并）' ? '' : v
}

const options = () => [...$('unit-list').children]
const isOpen = () => !$('unit-popup').hidden

const setActive = (i) => {
  const items = options()
  // -1: none active (a fresh list: Enter then chooses nothing until ↓ picks one).
  active = items.length === 0 || i < 0 ? -1 : Math.min(i, items.length - 1)
  items.forEach((o, k) => o.setAttribute('aria-selected', String(k === active)))
  const box = $('unit')
  if (active < 0) return box.removeAttribute('aria-activedescendant')
  box.setAttribute('aria-activedescendant', items[active].id)
  items[active].scrollIntoView({ block: 'nearest' })
}

const render = () => {
  $('unit-list').replaceChildren(
    ...listed.map((u, i) =>
      el('li', { id: 'unit-option-' + i, role: 'option', 'aria-selected': 'false', 'data-unit': u.unit }, [el('span', { className: 'code', text: u.unit }), ' ' + (u.name || '')]),
    ),
    ...(next ? [el('li', { id: 'unit-more', role: 'option', 'aria-selected': 'false', className: 'more', text: '更多单位…' })] : []),
  )
  $('unit-status').textContent =
    listed.length === 0 ? '没有编码或名称与之相符的单位' : '列出 ' + listed.length + ' 个单位' + (next ? '，还有更多（选“更多单位”）' : '')
}

const open = () => {
  $('unit-popup').hidden = false
  $('unit').setAttribute('aria-expanded', 'true')
}

const close = () => {
  clearTimeout(timer)
  asked++
  $('unit-popup').hidden = true
  $('unit').setAttribute('aria-expanded', 'false')
  setActive(-1)
}

/** The units matching what is typed (the first page), or the page after the listed ones. */
const search = async (more) => {
  const ask = ++asked
  $('unit-status').textContent = '正在查找…'
  open()
  try {
    const page = await findUnits(typed(), more ? next : null)
    if (ask !== asked) return
    const from = more ? listed.length : -1
    listed = more ? listed.concat(page.units) : page.units
    next = page.next
    render()
    setActive(from)
  } catch (e) {
    if (ask === asked) $('unit-status').textContent = '未能查找单位'
    report(e)
  }
}

const pick = (i) => {
  const item = options()[i]
  if (!item) return
  if (item.id === 'unit-more') return void search(true)
  const u = listed[i]
  close()
  chosen(u)
  // The box now shows the choice (fillSelectors), selected, so typing again starts a new search.
  $('unit').select()
}

/** onChoose(unit listing) runs when a unit is chosen (its code, name and years, as the server listed them). */
export const wireUnitPicker = (onChoose) => {
  chosen = onChoose
  const box = $('unit')
  box.addEventListener('focus', () => box.select())
  box.addEventListener('click', () => {
    if (!isOpen()) search(false)
  })
  box.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(() => search(false), TYPING_PAUSE)
  })
  box.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      if (!isOpen() || e.altKey) search(false)
      else setActive(active + 1)
    } else if (e.key === 'ArrowUp' && isOpen()) {
      e.preventDefault()
      setActive(Math.max(0, active - 1))
    } else if (e.key === 'Enter' && isOpen() && active >= 0) {
      e.preventDefault()
      pick(active)
    } else if (e.key === 'Escape') {
      if (isOpen()) e.preventDefault()
      close()
      showChosenUnit()
    }
  })
  box.addEventListener('blur', () => {
    close()
    showChosenUnit()
  })
  // The list is chosen from with the mouse without taking the focus from the box.
  $('unit-list').addEventListener('mousedown', (e) => e.preventDefault())
  $('unit-list').addEventListener('click', (e) => {
    const item = e.target.closest('[role="option"]')
    if (item) pick(options().indexOf(item))
  })
}
