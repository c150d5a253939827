// The encoder on WebGPU in headless Chromium (SwiftShader), held to the PyTorch reference like cpu and wasm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { maxAbsDiff, readReference } from '../unit/helpers';
import { launchChromium } from './chromium';
import { openHarness } from './harness-page';

let browser: Browser;
let page: Page;

describe('encoder on webgpu in Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openHarness(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [fixture, fused] of [['tiny-bert', false], ['tiny-xlmr', false], ['tiny-bert', true], ['tiny-xlmr', true]] as const) {
    it(`${fixture}${fused ? ' (fused kernels)' : ''}: hidden states, pooled embeddings and loss gradients within 1e-4 of PyTorch`, async () => {
      const ref = readReference(fixture);
      const got = await page.evaluate(
        ([f, k]) => (window as unknown as { harness: { runReference(f: string, b: string, k: boolean): Promise<unknown> } }).harness.runReference(f, 'webgpu', k),
        [fixture, fused] as const,
      ) as {
        backend: string; adapter: string | null; embeddingOutput: number[]; lastHiddenState: number[]; embeddings: number[];
        loss: number; gradients: Record<string, number[]>;
      };
      expect(got.backend).toBe('webgpu');
      expect(got.adapter).toMatch(/swiftshader|google/i);
      console.info(
        `${fixture} on webgpu${fused ? ' (fused)' : ''} [${got.adapter}]: max abs diff hidden ${maxAbsDiff(got.lastHiddenState, ref.last_hidden_state).toExponential(2)}, ` +
          `pooled ${maxAbsDiff(got.embeddings, ref.pooled_normalized).toExponential(2)}`,
      );
      expect(maxAbsDiff(got.embeddingOutput, ref.embedding_output)).toBeLessThan(1e-4);
      expect(maxAbsDiff(got.lastHiddenState, ref.last_hidden_state)).toBeLessThan(1e-4);
      expect(maxAbsDiff(got.embeddings, ref.pooled_normalized)).toBeLessThan(1e-4);
      expect(Math.abs(got.loss - ref.loss.value)).toBeLessThan(1e-4);
      for (const [name, expected] of Object.entries(ref.loss.gradients)) {
        const scale = Math.max(1, ...expected.map(Math.abs));
        expect(maxAbsDiff(got.gradients[name]!, expected) / scale, name).toBeLessThan(1e-4);
      }
    });
  }
});
