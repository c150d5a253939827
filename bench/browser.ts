// The benchmark's Chromium side: selects the WebGPU backend and runs the suite in the page.
import { selectBackend } from '../src/core/backend';
import { DEFAULT_MODEL } from '../src/core/defaults';
import { runBackendSuite, type BackendPlan, type BackendReport } from './suite';
import type { ModelShape } from './synthetic';
import type { TokenizerFiles } from './workloads';

async function run(shape: ModelShape, plan: BackendPlan): Promise<BackendReport> {
  const info = await selectBackend('webgpu');
  const base = new URL(`/models/${DEFAULT_MODEL}/`, location.href).href;
  const tokenizer: TokenizerFiles = {
    json: await (await fetch(`${base}tokenizer.json`)).json(),
    config: (await (await fetch(`${base}tokenizer_config.json`)).json()) as Record<string, unknown>,
  };
  return runBackendSuite('chromium', info.adapter ?? null, shape, tokenizer, plan, (line) => console.info(line));
}

(window as unknown as { bench: unknown }).bench = { run };
document.body.dataset.ready = 'true';
