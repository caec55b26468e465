/* The header on a phone: the controls fold away behind one toggle, so the figures keep the screen. */
import { $ } from '../core/dom.js'

export const wireHeaderToggle = () => {
  const toggle = $('controls-toggle')
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true'
    toggle.setAttribute('aria-expanded', String(open))
    document.querySelector('.topbar').classList.toggle('open', open)
  })
}
