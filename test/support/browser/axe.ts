import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

// The page's globals, for the callback that runs in the browser (the project's lib has no DOM).
declare const document: unknown, window: { axe: { run(d: unknown): Promise<{ violations: unknown }> } }

/** axe-core's browser build, evaluated in the page (the page's CSP refuses an injected inline script tag). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** The serious and critical accessibility violations axe-core finds on the page as it is shown. */
export const axeViolations = async (page: Page) => {
  await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const result = await window.axe.run(document)
    return (result.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>)
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)
  })
}
