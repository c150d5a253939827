import * as Comlink from 'comlink';
import type { Engine } from './worker';

/** The worker-side engine, driven from the page through Comlink. */
export function startEngine(): Comlink.Remote<Engine> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return Comlink.wrap<Engine>(worker);
}
