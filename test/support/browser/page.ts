import type { Page } from 'playwright-core'

/** The page's own global, inside functions the browser runs (the tests compile without the DOM types). */
declare const document: { body: { dataset: Record<string, string | undefined> } }

/** Waits until the page says it has shown what it read (main.js sets body data-state="ready"). */
export const pageReady = (page: Page, timeout = 15_000) => page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout })

/** Opens the page at url and signs in through its sign-in panel as a local account, as a person would. */
export const signInOnPage = async (page: Page, url: string, name: string, password: string) => {
  await page.goto(url)
  await page.waitForSelector('#signin-form')
  await page.fill('#signin-name', name)
  await page.fill('#signin-password', password)
  await page.click('#signin-form button')
  await pageReady(page)
}
