import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';

/** A page on the test harness (test/browser/harness.html), ready to run core code on WebGPU. */
export async function openHarness(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`));
  await page.goto(new URL('test/browser/harness.html', inject('baseUrl')).href);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return page;
}
