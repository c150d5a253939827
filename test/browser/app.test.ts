// The real app in headless Chromium on SwiftShader WebGPU: it loads the bundled model in its worker,
// says which backend it runs on, ranks the test split's passages for a query, and fine-tunes on WebGPU.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_MODEL } from '../../src/core/defaults';
import { repoRoot } from '../unit/helpers';
import { CHROMIUM_ARGS_WITHOUT_WEBGPU, launchChromium } from './chromium';
import { searchFor as searchBothColumns } from './lab-page';

let browser: Browser;
const germanTest = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'public/data/corpus/de.json'), 'utf8')) as { passages: { id: string; split: string; questions: { text: string }[] }[] }).passages.filter(
  (p) => p.split === 'test',
);
const FIRST_TEST_PASSAGE = germanTest[0]!.id;
const FIRST_TEST_QUESTION = germanTest[0]!.questions[0]!.text;

async function openApp(query = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.goto(new URL(query, inject('baseUrl')).href);
  await page.waitForSelector('main[data-indexed="true"]', { state: 'attached', timeout: 240_000 });
  return page;
}

/** The base model's ranking for a query (the fine-tuned column is empty until a run ends). */
const searchFor = async (page: Page, text: string) => (await searchBothColumns(page, text)).base;

describe('the app', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the bundled model on WebGPU and ranks the passages for a German query', async () => {
    // Eight test passages in each of three languages in the pool: SwiftShader is a slow GPU.
    const page = await openApp('?langs=de,en,zh&pool=8&maxLength=48');
    expect(await page.getAttribute('[data-testid="backend"]', 'data-backend')).toBe('webgpu');
    expect(await page.textContent('[data-testid="backend"]')).toMatch(/swiftshader/i);
    expect(await page.textContent('[data-testid="model-name"]')).toContain(DEFAULT_MODEL);

    const query = FIRST_TEST_QUESTION;
    const first = await searchFor(page, query);
    expect(first).toHaveLength(10);
    for (const hit of first) expect(Number.isFinite(hit.score)).toBe(true);
    for (let i = 1; i < first.length; i++) expect(first[i - 1]!.score).toBeGreaterThanOrEqual(first[i]!.score);
    await searchFor(page, 'something else');
    const again = await searchFor(page, query);
    expect(again.map((h) => h.id)).toEqual(first.map((h) => h.id));

    // The German question of a test passage finds that passage in some language among the top ten.
    expect(first.some((h) => h.id.startsWith(`${FIRST_TEST_PASSAGE}-`))).toBe(true);
    await page.close();
  });

  it('loads a model folder the user picks, and keeps the current model when a folder is broken', async () => {
    const page = await openApp('?backend=wasm');
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-model-'));
    fs.cpSync(path.join(repoRoot, 'test/fixtures/tiny-bert'), path.join(broken, 'tiny-bert'), { recursive: true });
    fs.rmSync(path.join(broken, 'tiny-bert/model.safetensors'));
    await page.click('summary');
    await page.setInputFiles('[data-testid="model-folder"]', path.join(broken, 'tiny-bert'));
    await page.waitForSelector('[data-testid="model-error"]');
    expect(await page.textContent('[data-testid="model-error"]')).toMatch(new RegExp(`model\\.safetensors: missing .*still using ${DEFAULT_MODEL}`));
    expect(await page.textContent('[data-testid="model-name"]')).toContain(DEFAULT_MODEL);

    await page.setInputFiles('[data-testid="model-folder"]', path.join(repoRoot, 'test/fixtures/tiny-bert'));
    await page.waitForFunction(() => document.querySelector('[data-testid="model-name"]')?.textContent?.includes('tiny-bert'));
    await page.waitForSelector('main[data-indexed="true"]', { state: 'attached' });
    expect(await page.$('[data-testid="model-error"]')).toBeNull();
    const hits = await searchFor(page, 'How deep is the lake?');
    expect(hits).toHaveLength(10);
    await page.close();
  });

  it('fine-tunes a few steps on WebGPU', async () => {
    const page = await openApp('?maxLength=24&steps=2&batch=4&lr=0.001&evalEvery=0&evalQuestions=5&langs=en,de&pool=4');
    expect(await page.getAttribute('[data-testid="backend"]', 'data-backend')).toBe('webgpu');
    await page.click('[data-testid="train-start"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-row"]').length === 2, undefined, { timeout: 280_000 });
    expect(await page.textContent('[data-testid="train-step"]')).toBe('2 / 2');
    expect(Number(await page.textContent('[data-testid="train-loss"]'))).toBeGreaterThan(0);
    await page.close();
  });

  it('says plainly when it falls back from WebGPU, and why', async () => {
    const page = await openApp('?backend=wasm');
    expect(await page.getAttribute('[data-testid="backend"]', 'data-backend')).toBe('wasm');
    const hits = await searchFor(page, 'Wie hoch ist der Kilimandscharo?');
    expect(hits).toHaveLength(10);
    await page.close();
    // A browser without WebGPU: the app must fall back and say so.
    const plain = await launchChromium(CHROMIUM_ARGS_WITHOUT_WEBGPU);
    try {
      const noGpu = await plain.newPage();
      await noGpu.goto(inject('baseUrl'));
      await noGpu.waitForSelector('main[data-indexed="true"]', { state: 'attached', timeout: 240_000 });
      expect(await noGpu.getAttribute('[data-testid="backend"]', 'data-backend')).toBe('wasm');
      expect(await noGpu.textContent('[data-testid="fallback"]')).toMatch(/Fell back to wasm because:\s*webgpu: WebGPU (is not available|is present but no GPU adapter)/);
    } finally {
      await plain.close();
    }
  });
});
