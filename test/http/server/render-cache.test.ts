import { describe, expect, it } from 'vitest'
import { RenderCache, type Rendering } from '../../../src/http/responses/render-cache'

const r = (text: string): Rendering => ({ body: Buffer.from(text), contentType: 'application/json; charset=utf-8' })

/** The render cache's least-recently-used order, with its shortcut for a hit on the key used last. */
describe('render cache: least recently used first out', () => {
  it('given two kept and the older read again (then the newer, then the older twice), when a third is kept over a bound of two, then the one read least recently goes', () => {
    const c = new RenderCache(2)
    c.set('a', 'v1', r('A'))
    c.set('b', 'v1', r('B'))
    expect(c.get('a', 'v1')?.body.toString()).toBe('A')
    expect(c.get('b', 'v1')?.body.toString()).toBe('B')
    expect(c.get('a', 'v1')?.body.toString()).toBe('A')
    expect(c.get('a', 'v1')?.body.toString()).toBe('A')
    c.set('c', 'v1', r('C'))
    expect([c.get('b', 'v1'), c.get('a', 'v1')?.body.toString(), c.get('c', 'v1')?.body.toString()]).toEqual([undefined, 'A', 'C'])
  })

  it('given the key used last, when it is asked at another version, then nothing is served and its entry is dropped, not kept for the old version', () => {
    const c = new RenderCache(2)
    c.set('a', 'v1', r('A'))
    expect(c.get('a', 'v1')?.body.toString()).toBe('A')
    expect(c.get('a', 'v2')).toBeUndefined()
    expect(c.get('a', 'v1')).toBeUndefined()
    expect(c.size).toBe(0)
    c.set('a', 'v2', r('A2'))
    expect(c.get('a', 'v2')?.body.toString()).toBe('A2')
  })
})
