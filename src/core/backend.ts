import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export const BACKENDS: BackendName[] = ['webgpu', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** The GPU adapter, for webgpu: vendor, architecture, device, description as the browser reports them. */
  adapter?: string;
  /** Why the preferred backends were not used, one line each; empty when the first choice worked. */
  fallbacks: string[];
}

export interface BackendOptions {
  /** Where the tfjs wasm binaries are: a URL prefix in the browser, a folder path in Node. */
  wasmPaths?: string | Record<string, string>;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

function describeAdapter(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((x) => x && x.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(' / ') : 'unnamed adapter';
}

async function tryWebGPU(): Promise<string> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }) | undefined)?.gpu;
  if (!gpu) throw new Error('WebGPU is not available here (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU is present but no GPU adapter was found');
  // Imported only now: the module registers the backend when navigator.gpu exists.
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend failed to initialise');
  return describeAdapter(adapter);
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<string | undefined> {
  if (name === 'webgpu') return tryWebGPU();
  if (name === 'wasm' && options.wasmPaths) setWasmPaths(options.wasmPaths as string);
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  return undefined;
}

/**
 * Switches tfjs to the preferred backend. 'auto' tries webgpu, then wasm, then cpu and records why each
 * skipped one failed; an explicit choice that fails throws with the reason.
 */
export async function selectBackend(preference: BackendName | 'auto', options: BackendOptions = {}): Promise<BackendInfo> {
  const order = preference === 'auto' ? BACKENDS : [preference];
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      const adapter = await tryBackend(name, options);
      await tf.ready();
      return adapter === undefined ? { name, fallbacks } : { name, adapter, fallbacks };
    } catch (e) {
      fallbacks.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no usable backend: ${fallbacks.join('; ')}`);
}
