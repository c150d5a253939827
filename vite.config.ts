import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

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

/**
 * An installable app that works offline after its first load: the service worker precaches the built
 * app, the tfjs wasm binaries, the corpus and the bundled model folders (copied into the build by
 * bundledModels before the service worker is generated).
 */
const offlineApp = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: 'script-defer',
  includeAssets: ['icons/icon.svg'],
  manifest: {
    name: 'Polyglot Lab',
    short_name: 'Polyglot Lab',
    description: 'Fine-tune a multilingual sentence encoder in your browser and search across 15 languages.',
    theme_color: '#34407a',
    background_color: '#f6f7fb',
    display: 'standalone',
    start_url: '.',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,json,svg,png,safetensors}'],
    // Model weights and the corpus are large by web standards; they are what the app exists for.
    maximumFileSizeToCacheInBytes: 512 * 1024 * 1024,
    navigateFallback: 'index.html',
    // The model URL the app builds carries a trailing slash and file names; query strings (?backend=…) are page options.
    ignoreURLParametersMatching: [/.*/],
  },
  devOptions: { enabled: false },
});

export default defineConfig({
  plugins: [svelte(), bundledModels(), offlineApp],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  // tfjs and its backends must be pre-bundled together, or the backends register with another copy of tfjs-core.
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@xenova/transformers', 'comlink'],
  },
});
