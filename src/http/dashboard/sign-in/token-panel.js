/* The first panel: sign in, or give the dashboard token; shown when there is neither or the server refused it. */
import { forgetToken, saveToken } from '../core/api.js'
import { $ } from '../core/dom.js'
import { stopLive } from '../read/live.js'
import { showMessage } from '../core/message.js'

export const askToken = (why) => {
  stopLive()
  forgetToken()
  $('main').hidden = true
  $('token-panel').hidden = false
  showMessage(why || '', 'info')
  $('signin-name').focus()
}

/** onToken runs once a token is saved. */
export const wireTokenPanel = (onToken) => {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault()
    const t = $('token-input').value.trim()
    if (!t) return
    saveToken(t)
    $('token-input').value = ''
    onToken()
  })
  $('token-change').addEventListener('click', () => askToken('请输入新的看板令牌。'))
}
