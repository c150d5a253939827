// The built app as users get it from `npm start`: after one visit, its service worker serves the
// whole lab (app, wasm, corpus and model) with the network off, and it declares itself installable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { DEFAULT_MODEL } from '../../src/core/defaults';
import { repoRoot } from '../unit/helpers';
import { launchChromium } from './chromium';
import { screenshotPanel, searchFor } from './lab-page';

let browser: Browser;
let server: PreviewServer;
let baseUrl: string;
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-build-'));

describe('the installed app, offline', () => {
  beforeAll(async () => {
    await build({ root: repoRoot, configFile: path.join(repoRoot, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
    server = await preview({ root: repoRoot, configFile: path.join(repoRoot, 'vite.config.ts'), build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('the preview server has no port');
    baseUrl = `http://127.0.0.1:${address.port}/`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()));
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('works with the network off after the first load', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    const url = `${baseUrl}?backend=wasm&maxLength=32`;
    await page.goto(url);
    await page.waitForSelector('main[data-indexed="true"]', { state: 'attached', timeout: 240_000 });
    // Installable: a manifest with icons, and a service worker that controls the page once it has precached everything.
    const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
    expect(manifestHref).toBeTruthy();
    const manifest = (await (await page.request.get(new URL(manifestHref!, baseUrl).href)).json()) as { name: string; icons: { sizes: string }[] };
    expect(manifest.name).toBe('Polyglot Lab');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null && navigator.serviceWorker.controller !== null, undefined, { timeout: 120_000 });

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('main[data-indexed="true"]', { state: 'attached', timeout: 240_000 });
    expect(await page.textContent('[data-testid="model-name"]')).toContain(DEFAULT_MODEL);
    const { base } = await searchFor(page, 'Какой высоты Олимп на Марсе?');
    expect(base).toHaveLength(10);
    await page.waitForSelector('[data-testid="data-passage"]');
    await screenshotPanel(page, 'model-panel', '0-offline-model');
    await context.close();
  });
});
