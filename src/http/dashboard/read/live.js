/*
 * Live updates: the unit-year's server-sent events (read with fetch, api.js), which say when the
 * budget year changes; onRevision is told each new revision, and reconnects back off to 15 s.
 */
import { openStream } from '../core/api.js'
import { setLive, showConnected } from './context.js'
import { state, yearPath } from '../core/state.js'

let live = null

export const stopLive = () => {
  state.liveOn = false
  if (live) live.abort()
  live = null
}

/** The server-sent events of a stream body, each { event, data } passed on as it arrives. */
const readEvents = async (body, signal, onEvent) => {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  while (!signal.aborted) {
    const chunk = await reader.read()
    if (chunk.done) return
    buffer += decoder.decode(chunk.value, { stream: true })
    const parts = buffer.split(/\r?\n\r?\n/)
    buffer = parts.pop()
    for (const block of parts) {
      let event = 'message'
      const data = []
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue
        const i = line.indexOf(':')
        const field = i < 0 ? line : line.slice(0, i)
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
      }
      onEvent(event, data)
    }
  }
}

export const startLive = (onRevision) => {
  stopLive()
  const controller = new AbortController()
  live = controller
  let delay = 1000
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        setLive('connecting', '○ 正在连接实时更新…')
        const body = await openStream(yearPath() + '/live', controller.signal)
        state.liveOn = true
        showConnected()
        delay = 1000
        await readEvents(body, controller.signal, (event, data) => {
          if (event === 'revision' && data.length) onRevision(JSON.parse(data.join('\n')))
        })
      } catch (e) {
        // A refused token: api.js has asked for another, and stopped this stream.
        if (controller.signal.aborted || e.status === 401) return
      }
      state.liveOn = false
      setLive('off', '○ 实时更新已断开，正在重连…')
      await new Promise((r) => setTimeout(r, delay))
      delay = Math.min(delay * 2, 15000)
    }
  }
  run()
}
