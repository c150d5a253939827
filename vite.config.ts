import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const modelsDir = path.resolve(import.meta.dirname, 'models');

/**
 * Serves models/ at /models/ in development and copies it into the build: the model folders are
 * bundled with the app but stay in their Hugging Face layout, outside public/.
 */
function bundledModels(): Plugin {
  let outDir = 'dist';
  return {
    name: 'polyglot-bundled-models',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '/').split('?')[0]!);
        const file = path.join(modelsDir, path.normalize(rel));
        if (!file.startsWith(modelsDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
        res.setHeader('Content-Length', fs.statSync(file).size);
        fs.createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      fs.cpSync(modelsDir, path.join(outDir, 'models'), { recursive: true, filter: (src) => !src.endsWith('.md') });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), bundledModels()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  // tfjs and its backends must be pre-bundled together, or the backends register with another copy of tfjs-core.
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@xenova/transformers', 'comlink'],
  },
});
