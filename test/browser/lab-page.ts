// Helpers for driving the real app in the browser tests: opening it, waiting for runs, searching,
// and saving each panel's screenshot under test/screenshots/ for review.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '../unit/helpers';

export const SCREENSHOTS = path.join(repoRoot, 'test/screenshots');

/** Small, fast settings: wasm, three languages, short texts, a few steps of batch 4. */
export const FAST = '?backend=wasm&maxLength=32&steps=3&batch=4&lr=0.001&evalEvery=1&evalQuestions=20&langs=en,ru,zh';

export async function openLab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(url);
  await page.waitForSelector('main[data-indexed="true"]', { state: 'attached', timeout: 240_000 });
  return page;
}

export async function screenshotPanel(page: Page, testId: string, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator(`[data-testid="${testId}"]`).screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

export const phase = (page: Page) => page.getAttribute('[data-testid="phase"]', 'data-phase');

/** Waits until a run (started by a click) has begun and ended. */
export async function waitForRun(page: Page, start: () => Promise<void>, timeout = 240_000): Promise<void> {
  const runsBefore = await page.locator('[data-testid="compare-row"]').count();
  await start();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="phase"]')?.getAttribute('data-phase') === 'idle' && document.querySelectorAll('[data-testid="compare-row"]').length > n,
    runsBefore,
    { timeout },
  );
}

export interface Hit {
  id: string;
  lang: string;
  score: number;
  origin: string;
  sentence: string;
}

/** Types a query and returns both result columns once the answer to that query is shown. */
export async function searchFor(page: Page, text: string): Promise<{ base: Hit[]; tuned: Hit[] }> {
  await page.fill('[data-testid="query"]', '');
  await page.fill('[data-testid="query"]', text);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="result-base"]').length > 0 && document.querySelector('[data-testid="results"]')?.getAttribute('data-pending') === 'false',
    undefined,
    { timeout: 120_000 },
  );
  // The debounce may still hold a search for an intermediate value; wait until the list is stable.
  await page.waitForTimeout(400);
  await page.waitForFunction(() => document.querySelector('[data-testid="results"]')?.getAttribute('data-pending') === 'false');
  const read = (model: string) =>
    page.$$eval(`[data-testid="result-${model}"]`, (items) =>
      items.map((li) => ({
        id: li.getAttribute('data-id')!,
        lang: li.getAttribute('data-lang')!,
        score: Number(li.getAttribute('data-score')),
        origin: li.getAttribute('data-origin')!,
        sentence: li.querySelector('[data-testid="matched-sentence"]')!.textContent!,
      })),
    );
  return { base: await read('base'), tuned: await read('tuned') };
}

/** Long tasks (over 50 ms) on the page's main thread, as a PerformanceObserver sees them. */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
}

export async function longTasksSince(page: Page, since: number): Promise<{ start: number; duration: number }[]> {
  return page.evaluate((t) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((e) => e.start >= t), since);
}
