/*
 * Signing in as oneself (docs/sign-in.md): the sign-in form of the first panel (a local account, or
 * the unit's identity provider when the server has one), and the person and 退出 in the header.
 */
import { hasProvider, signIn, signOut, whoAmI } from '../core/api.js'
import { $ } from '../core/dom.js'
import { showMessage } from '../core/message.js'
import { state } from '../core/state.js'

const ROLE = { finance: '财务', auditor: '审计', dashboard: '查看' }

/** Shows who is signed in (or, with null, that nobody is: an ended session no longer names anyone). */
export const showPerson = (me) => {
  state.person = me
  $('who').hidden = !me
  $('sign-out').hidden = !me
  $('who').textContent = me ? me.name + '（' + (ROLE[me.role] || me.role) + '）' : ''
  document.body.dataset.role = me ? me.role : ''
}

/** The person of this browser's session, shown in the header; null when nobody is signed in. */
export const resumeSession = async () => {
  const me = await whoAmI()
  showPerson(me)
  return me
}

/** Offers the provider's sign-in only where the server has one. */
export const offerProvider = async () => {
  $('oidc-link').hidden = !(await hasProvider().catch(() => false))
}

/** onSignedIn runs once a person has signed in; onSignedOut once they have signed out. */
export const wireSignIn = (onSignedIn, onSignedOut) => {
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      const me = await signIn($('signin-name').value.trim(), $('signin-password').value)
      $('signin-password').value = ''
      showPerson(me)
      onSignedIn()
    } catch (err) {
      showMessage(err.status === 401 ? '姓名或密码不正确。' : err.status === 429 ? '尝试次数过多，请稍后再试。' : err.message)
    }
  })
  $('sign-out').addEventListener('click', async () => {
    const provider = await signOut().catch(() => null)
    showPerson(null)
    // The identity provider ends its own session too, then sends the browser back to this page.
    if (provider) return location.assign(provider)
    onSignedOut()
  })
}
