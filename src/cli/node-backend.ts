import path from 'node:path';
import { createRequire } from 'node:module';
import { selectBackend, type BackendInfo, type BackendName } from '../core/backend';

const require = createRequire(import.meta.url);

/** The folder holding tfjs-backend-wasm's .wasm binaries, as setWasmPaths wants it in Node. */
export function nodeWasmPaths(): string {
  return `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

/**
 * WebGPU in Node through Dawn (the `webgpu` package). Dawn finds a Vulkan driver through the loader;
 * on a machine with no GPU that is SwiftShader, which Debian's chromium ships.
 */
async function installNodeWebGPU(): Promise<void> {
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (!process.env.VK_ICD_FILENAMES && (await import('node:fs')).existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
}

export async function selectNodeBackend(name: BackendName | 'auto'): Promise<BackendInfo> {
  if (name === 'webgpu') await installNodeWebGPU();
  return selectBackend(name, { wasmPaths: nodeWasmPaths() });
}
