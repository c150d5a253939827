// The fused WebGPU kernels against their plain-op references, in Chromium on SwiftShader: outputs and
// gradients within 1e-4 on fresh random inputs each run, over odd lengths, padding and batch 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ModelShape } from '../../bench/synthetic';
import { launchChromium } from './chromium';
import { openHarness } from './harness-page';
import type { EncoderParityResult, ParityCase, ParityResult } from './kernel-parity';

let browser: Browser;
let page: Page;

interface Harness {
  kernelParity(c: ParityCase): Promise<{ backend: string; adapter: string | null; result: ParityResult }>;
  encoderParity(s: ModelShape, b: number, t: number): Promise<{ backend: string; adapter: string | null; result: EncoderParityResult }>;
}

const TOLERANCE = 1e-4;

const CASES: ParityCase[] = [
  { kernel: 'attention', batch: 1, length: 7, hidden: 16, heads: 2 },
  { kernel: 'attention', batch: 3, length: 13, hidden: 24, heads: 3, lengths: [13, 5, 1] },
  { kernel: 'attention', batch: 2, length: 32, hidden: 64, heads: 4, lengths: [32, 19] },
  { kernel: 'layerNorm', batch: 1, length: 5, hidden: 17 },
  { kernel: 'layerNorm', batch: 3, length: 11, hidden: 64 },
  { kernel: 'biasGelu', batch: 1, length: 9, hidden: 33 },
  { kernel: 'biasGelu', batch: 4, length: 13, hidden: 256 },
  { kernel: 'biasGelu', batch: 2, length: 7, hidden: 31, act: 'gelu_new' },
  { kernel: 'linear', batch: 1, length: 7, hidden: 16, outFeatures: 12 },
  { kernel: 'linear', batch: 3, length: 13, hidden: 64, outFeatures: 256, bias: false },
  { kernel: 'linear', batch: 2, length: 5, hidden: 256, outFeatures: 64 },
  // Feature counts that are not multiples of 4 take tfjs's matmuls inside the same op.
  { kernel: 'linear', batch: 2, length: 3, hidden: 18, outFeatures: 7 },
];

describe('fused WebGPU kernels in Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openHarness(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const c of CASES) {
    it(`${c.kernel} b=${c.batch} t=${c.length} h=${c.hidden}${c.outFeatures ? `->${c.outFeatures}` : ''}${c.bias === false ? ' no bias' : ''}${c.lengths ? ' padded' : ''}${c.act ? ` ${c.act}` : ''}: output and gradients within 1e-4 of the plain ops`, async () => {
      const got = await page.evaluate((x) => (window as unknown as { harness: Harness }).harness.kernelParity(x), c);
      expect(got.backend).toBe('webgpu');
      expect(got.adapter).toMatch(/swiftshader|google/i);
      const r = got.result;
      console.info(`${r.name}: output ${r.output.toExponential(2)}, gradients ${Object.entries(r.gradients).map(([n, d]) => `${n} ${d.toExponential(2)}`).join(', ')}`);
      expect(r.output).toBeLessThan(TOLERANCE);
      for (const [name, d] of Object.entries(r.gradients)) expect(d, name).toBeLessThan(TOLERANCE);
      expect(r.tensorsAfter).toBe(r.tensorsBefore);
    });
  }

  for (const [shape, b, t] of [
    [{ hidden: 24, layers: 2, heads: 3, intermediate: 40, vocab: 60 }, 6, 11],
    [{ hidden: 16, layers: 1, heads: 2, intermediate: 32, vocab: 60, act: 'gelu_new' }, 1, 5],
  ] as [ModelShape, number, number][]) {
    it(`whole encoder (${shape.layers} layers, batch ${b}, length ${t}): fused and plain agree within 1e-4, gradients included`, async () => {
      const got = await page.evaluate(([s, bb, tt]) => (window as unknown as { harness: Harness }).harness.encoderParity(s, bb, tt), [shape, b, t] as const);
      const r = got.result;
      console.info(`${r.name}: embeddings ${r.embeddings.toExponential(2)}, loss ${r.loss.toExponential(2)}, gradient ${r.gradient.toExponential(2)} (${r.worstParameter})`);
      expect(got.backend).toBe('webgpu');
      expect(r.embeddings).toBeLessThan(TOLERANCE);
      expect(r.loss).toBeLessThan(TOLERANCE);
      expect(r.gradient).toBeLessThan(TOLERANCE);
      expect(r.tensorsAfter).toBe(r.tensorsBefore);
    });
  }
});
