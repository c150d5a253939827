import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';

let server: ViteDevServer | undefined;

/** The real app, served by Vite's dev server on a free port, for every browser test file. */
export async function setup(project: TestProject): Promise<void> {
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server has no port');
  project.provide('baseUrl', `http://127.0.0.1:${address.port}/`);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
