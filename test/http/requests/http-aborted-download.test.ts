import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startServer } from '../../support/shells/http'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a reader who goes away mid-file', () => {
  it('given a page closed while its font and script files were being sent, then the server logs no error', async () => {
    const t = await startServer()
    try {
      const sheet = await t.request('GET', '/fonts/noto-sans-sc/400.css')
      const fonts = [...String(sheet.body).matchAll(/url\(([^)]+\.woff2)\)/g)].map((m) => m[1]!).slice(0, 20)
      expect(fonts.length).toBeGreaterThan(0)
      const { port } = new URL(t.url)
      // Asked for, then hung up on at once: the file is being sent when the reader is gone.
      for (const path of [...fonts, '/dashboard/main.js', '/dashboard/style.css']) {
        const socket = connect(Number(port), '127.0.0.1')
        await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
        socket.resetAndDestroy()
      }
      await sleep(300)
      expect(t.logged).toEqual([])
    } finally {
      await t.close()
    }
  })
})
