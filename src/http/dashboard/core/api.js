/*
 * Every request the page makes to the API, in one place. Credentials: the dashboard token the
 * person gives the page (from #token=… once, then localStorage), sent as a Bearer header; requests
 * also carry same-origin cookies, so a signed-in session can stand in for the token later.
 */
export const TOKEN_KEY = 'budget-ledger.dashboardToken'

let token = localStorage.getItem(TOKEN_KEY)
/** The signed-in session's CSRF token (from /auth/login or /auth/me), sent on every write. */
let csrf = null
let unauthorized = () => {}

export const currentToken = () => token

export const saveToken = (t) => {
  localStorage.setItem(TOKEN_KEY, t)
  token = t
}

export const forgetToken = () => {
  localStorage.removeItem(TOKEN_KEY)
  token = null
}

/** What the page does when the server refuses the credentials (401): ask for a token again. */
export const onUnauthorized = (handler) => {
  unauthorized = handler
}

const credentials = (accept) => ({
  headers: { ...(token ? { Authorization: 'Bearer ' + token } : {}), Accept: accept },
  credentials: 'same-origin',
})

/** A write's request: JSON body, the CSRF token of the session (a token needs none), extra headers. */
const writing = (body, extra) => {
  const c = credentials('application/json')
  return {
    ...c,
    method: 'POST',
    headers: { ...c.headers, 'Content-Type': 'application/json', ...(csrf ? { 'X-CSRF-Token': csrf } : {}), ...(extra || {}) },
    body: JSON.stringify(body),
  }
}

const WHY = {
  400: '请求的参数不正确',
  401: '令牌无效或登录已过期，请重新登录或输入看板令牌',
  403: '该令牌无权查看此内容（需要 dashboard、auditor 或 finance 角色）',
  404: '未找到该单位或年度（或在所选时点尚未建立）',
  503: '服务器繁忙，请稍后再试',
}

/** A refused request, said in the reader's words. */
export class ApiError extends Error {
  constructor(status, body) {
    // The server's own words (English) only where they say what to fix: a bad parameter, a failure.
    const detail = body && typeof body.detail === 'string' && (status === 400 || status >= 500) ? body.detail : ''
    super((WHY[status] || '服务器未能答复（' + status + '）') + (detail ? '（' + detail + '）' : ''))
    this.status = status
    this.body = body
  }
}

const refused = async (res) => {
  const type = res.headers.get('content-type') || ''
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text()
  if (res.status === 401) unauthorized()
  return new ApiError(res.status, body)
}

const readJson = async (path) => {
  const res = await fetch(path, { ...credentials('application/json'), cache: 'no-cache' })
  if (!res.ok) throw await refused(res)
  return res
}

/** A JSON read: { body, etag }. */
export const getJson = async (path) => {
  const res = await readJson(path)
  return { body: await res.json().catch(() => null), etag: res.headers.get('etag') }
}

/** A picker's screenful of units. */
const UNIT_PAGE = 20

/**
 * A page of the ledger's units, in code order: those whose code starts with `typed` or whose name
 * holds it (the server searches), every unit when nothing is typed; with the path of the next page
 * (its Link header), null when none follow. `next`: that path, for the page after.
 */
export const findUnits = async (typed, next) => {
  const path = next || '/api/units?' + (typed ? 'q=' + encodeURIComponent(typed) + '&' : '') + 'limit=' + UNIT_PAGE
  const res = await readJson(path)
  const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') || '')
  return { units: await res.json(), next: link ? link[1] : null }
}

/** One unit's name and years ({ unit, name, years }), or null when the ledger has no year of it. */
export const findUnit = async (code) => {
  try {
    return (await getJson('/api/units/' + encodeURIComponent(code))).body
  } catch (e) {
    if (e.status === 404) return null
    throw e
  }
}

/** A file to save: { blob, name } with the server's file name (or the fallback). */
export const getFile = async (path, fallback) => {
  const res = await fetch(path, credentials('*/*'))
  if (!res.ok) throw await refused(res)
  const m = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') || '')
  return { blob: await res.blob(), name: m ? decodeURIComponent(m[1]) : fallback }
}

/** The server-sent-event stream at path (read with fetch, so the token goes in a header); its body. */
export const openStream = async (path, signal) => {
  const res = await fetch(path, { ...credentials('text/event-stream'), signal, cache: 'no-store' })
  if (!res.ok || !res.body) throw await refused(res)
  return res.body
}

/**
 * Whether these credentials may follow a figure to its events (the finance and auditor roles): the
 * explain read without its row parameter is refused with 403 before anything is read for a role
 * that may not, and with 400 (row required) for one that may; nothing is computed either way.
 */
export const mayExplain = async (yearPath) => {
  try {
    await getJson(yearPath + '/tables/1/explain')
    return true
  } catch (e) {
    return e.status === 400
  }
}

/** The person signed in on this browser ({ name, role, … }), or null when there is no session. */
export const whoAmI = async () => {
  const res = await fetch('/auth/me', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
  if (res.status === 401) return null
  if (!res.ok) throw await refused(res)
  const me = await res.json()
  csrf = me.csrfToken
  return me
}

/** Signs in with a local account: the person, or an ApiError (401: wrong name or password). */
export const signIn = async (name, password) => {
  const res = await fetch('/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name, password }),
  })
  // A refused sign-in is not a refused token: no call to the 401 handler.
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null))
  const me = await res.json()
  csrf = me.csrfToken
  return me
}

/** Signs out; for a person of the identity provider, the provider's sign-out address to go to next (else null). */
export const signOut = async () => {
  const res = await fetch('/auth/logout', writing({}))
  csrf = null
  if (!res.ok && res.status !== 401) throw await refused(res)
  return res.status === 200 ? (await res.json()).endSession : null
}

/** Whether the server offers sign-in through an identity provider (its start answers 501 when not). */
export const hasProvider = async () => {
  const res = await fetch('/auth/oidc/start', { redirect: 'manual', credentials: 'same-origin' })
  return res.status !== 501 && res.status !== 404
}

/** A JSON write: { status, body, etag } for any answer, so the form can show a refusal beside its field. */
export const postJson = async (path, body, headers) => {
  const res = await fetch(path, writing(body, headers))
  const type = res.headers.get('content-type') || ''
  const parsed = type.includes('json') ? await res.json().catch(() => null) : null
  if (res.status === 401) unauthorized()
  return { status: res.status, body: parsed, etag: res.headers.get('etag') }
}

const FILE_TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv', json: 'application/json' }

/** The media type a file is sent as, told by its name (browsers often leave File.type empty for .csv); null when none fits. */
export const fileTypeOf = (file) => FILE_TYPES[(/\.([a-z]+)$/i.exec(file.name) || [])[1]?.toLowerCase()] || null

/**
 * A file sent as the request body (XMLHttpRequest, for fetch cannot tell upload progress):
 * { status, body } for any answer. onUpload(loaded, total) as the bytes go out; with onChecked,
 * the server is asked for its progress stream (application/x-ndjson) and onChecked(checked, rows)
 * runs for each line it sends, the last line being the answer itself.
 */
export const postFile = (path, file, { onUpload, onUploaded, onChecked } = {}) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.withCredentials = true
    if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token)
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
    xhr.setRequestHeader('Accept', onChecked ? 'application/x-ndjson' : 'application/json')
    xhr.setRequestHeader('Content-Type', fileTypeOf(file))
    if (onUpload) xhr.upload.addEventListener('progress', (e) => onUpload(e.loaded, e.lengthComputable ? e.total : file.size))
    if (onUploaded) xhr.upload.addEventListener('load', () => onUploaded(file.size))
    let read = 0
    let last = null
    const lines = () => {
      const text = xhr.responseText
      let end
      while ((end = text.indexOf('\n', read)) >= 0) {
        const line = JSON.parse(text.slice(read, end))
        read = end + 1
        if ('checked' in line) onChecked(line.checked, line.rows)
        else last = line
      }
    }
    const streamed = () => onChecked && xhr.status === 200 && /x-ndjson/.test(xhr.getResponseHeader('content-type') || '')
    xhr.addEventListener('progress', () => streamed() && lines())
    xhr.addEventListener('load', () => {
      if (streamed()) {
        lines()
        // A stream cut before its answer line: the server failed part way.
        if (!last) return reject(new Error('服务器未答复完毕（连接中断）：请刷新页面查看是否已写入。'))
      }
      const answer = last || { status: xhr.status, body: /json/.test(xhr.getResponseHeader('content-type') || '') ? JSON.parse(xhr.responseText || 'null') : null }
      if (answer.status === 401) unauthorized()
      resolve(answer)
    })
    xhr.addEventListener('error', () => reject(new Error('无法连接服务器，请检查网络或服务器是否在运行。')))
    xhr.send(file)
  })
