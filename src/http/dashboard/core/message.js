/* The message line under the header: errors and notices in words, never raw JSON. */
import { $ } from './dom.js'

export const showMessage = (text, kind) => {
  const m = $('message')
  if (!text) {
    m.hidden = true
    m.textContent = ''
    return
  }
  m.hidden = false
  m.className = 'message ' + (kind || 'error')
  m.textContent = text
}

/** A failed step, said to the reader. */
export const report = (err) => {
  showMessage(err && err.message ? err.message : '无法连接服务器，请检查网络或服务器是否在运行。')
  document.body.dataset.state = 'error'
}
