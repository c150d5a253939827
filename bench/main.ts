// npm run bench: training step time (stock tfjs vs fused kernels on WebGPU; wasm and cpu for
// reference), the step's fraction of each backend's own large-matmul rate, embedding throughput,
// search latency and memory over many steps, in Node (wasm, cpu, webgpu through Dawn) and in headless
// Chromium (webgpu), in one run. Prints tables and writes JSON (bench/results/latest.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createServer } from 'vite';
import { parseOptions, positiveIntOption, UsageError } from '../src/cli/args';
import { selectNodeBackend } from '../src/cli/node-backend';
import type { BackendName } from '../src/core/backend';
import { CHROMIUM, launchChromium } from '../test/browser/chromium';
import { runBackendSuite, type BackendPlan, type BackendReport } from './suite';
import { shapeOf, type ModelShape } from './synthetic';
import { DEFAULT_MODEL } from '../src/core/defaults';
import { printReport, targetsOf, type BenchReport } from './report';
import type { TokenizerFiles } from './workloads';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HELP = `npm run bench -- [--quick | --full] [--no-browser] [--no-node-webgpu] [--no-cpu] [--steps N]
                [--hidden H --layers L --heads A --intermediate I] [--out FILE]
  Default: the bundled model's shape (hidden 64, 2 layers, 4 heads; about 8 minutes here, most of
  it tfjs's stock WebGPU kernels at batch 32 x 64 on SwiftShader), training at
  batch 8/32 x sequence 32/64 on wasm, cpu and Chromium's WebGPU (stock and fused), batch 8 x 32 on
  Node's WebGPU (Dawn), search over 1k/10k/100k passages on wasm, 200 steps watched for memory.
  --quick   the smallest run (batch 8 x 32 only, 20 memory steps): what tests use
  --full    every shape on every backend, 200 memory steps on WebGPU too
  --steps   measured training steps per shape (after one warm-up step)
  --out     JSON output (default bench/results/latest.json)`;

type Mode = 'quick' | 'default' | 'full';

const ALL_SHAPES: [number, number][] = [
  [8, 32],
  [8, 64],
  [32, 32],
  [32, 64],
];

function plans(mode: Mode, steps: number | undefined): Record<'wasm' | 'cpu' | 'nodeWebgpu' | 'chromium', BackendPlan> {
  const quick = mode === 'quick';
  const full = mode === 'full';
  const shapes: [number, number][] = quick ? [[8, 32]] : ALL_SHAPES;
  return {
    wasm: {
      matmulSize: 1024,
      training: shapes,
      steps: steps ?? (quick ? 1 : 3),
      variants: [false],
      embedCount: quick ? 64 : 512,
      stockEmbedCount: 0,
      embedLength: 64,
      searchPools: quick ? [1000, 10000] : [1000, 10000, 100000],
      searchQueries: quick ? 20 : 100,
      memorySteps: quick ? 20 : 200,
      memoryShape: [8, 32],
    },
    cpu: {
      matmulSize: 512,
      training: quick ? [[8, 32]] : full ? ALL_SHAPES : [[8, 32], [32, 64]],
      steps: steps ?? 1,
      variants: [false],
      embedCount: quick ? 0 : 64,
      stockEmbedCount: 0,
      embedLength: 64,
      searchPools: [],
      searchQueries: 0,
      memorySteps: 0,
      memoryShape: [8, 32],
    },
    nodeWebgpu: {
      matmulSize: 512,
      training: full ? ALL_SHAPES : [[8, 32]],
      steps: steps ?? 1,
      variants: [false, true],
      embedCount: quick ? 0 : 64,
      stockEmbedCount: 16,
      embedLength: 64,
      searchPools: [],
      searchQueries: 0,
      memorySteps: full ? 200 : 0,
      memoryShape: [2, 16],
    },
    chromium: {
      matmulSize: 512,
      training: shapes,
      steps: steps ?? 1,
      variants: [false, true],
      embedCount: quick ? 32 : 128,
      stockEmbedCount: quick ? 8 : 32,
      embedLength: 64,
      searchPools: quick ? [1000] : [1000, 10000, 100000],
      searchQueries: quick ? 10 : 40,
      // Growth shows at any size: a small batch keeps 200 SwiftShader steps affordable.
      memorySteps: quick ? 20 : 200,
      memoryShape: [2, 16],
    },
  };
}

function readTokenizer(): TokenizerFiles {
  const dir = path.join(ROOT, 'models', DEFAULT_MODEL);
  return {
    json: JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')),
    config: JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function nodeSuite(name: BackendName, shape: ModelShape, plan: BackendPlan, tokenizer: TokenizerFiles): Promise<BackendReport> {
  const info = await selectNodeBackend(name);
  if (info.name !== name) throw new Error(`asked for ${name}, got ${info.name}`);
  const report = await runBackendSuite('node', info.adapter ?? null, shape, tokenizer, plan, log);
  if (tf.memory().numTensors !== 0) log(`[node ${name}] ${tf.memory().numTensors} tensors left after the suite`);
  return report;
}

async function chromiumSuite(shape: ModelShape, plan: BackendPlan): Promise<{ report: BackendReport; version: string }> {
  const server = await createServer({ configFile: path.join(ROOT, 'vite.config.ts'), root: ROOT, server: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server has no port');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('console', (m) => (m.type() === 'info' ? log(m.text()) : m.type() === 'error' ? log(`[page] ${m.text()}`) : undefined));
    page.setDefaultTimeout(0);
    await page.goto(`http://127.0.0.1:${address.port}/bench/browser.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    const report = await page.evaluate(
      ([s, p]) => (window as unknown as { bench: { run(s: ModelShape, p: BackendPlan): Promise<BackendReport> } }).bench.run(s, p),
      [shape, plan] as const,
    );
    return { report, version: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const options = parseOptions(argv, ['steps', 'hidden', 'layers', 'heads', 'intermediate', 'out'], ['quick', 'full', 'no-browser', 'no-node-webgpu', 'no-cpu']);
  if (options.has('quick') && options.has('full')) throw new UsageError('--quick and --full exclude each other');
  const mode: Mode = options.has('quick') ? 'quick' : options.has('full') ? 'full' : 'default';
  const bundled = shapeOf(JSON.parse(fs.readFileSync(path.join(ROOT, 'models', DEFAULT_MODEL, 'config.json'), 'utf8')) as Record<string, unknown>);
  const shape: ModelShape = {
    hidden: positiveIntOption(options, 'hidden', bundled.hidden),
    layers: positiveIntOption(options, 'layers', bundled.layers),
    heads: positiveIntOption(options, 'heads', bundled.heads),
    intermediate: positiveIntOption(options, 'intermediate', bundled.intermediate),
    vocab: bundled.vocab,
    act: bundled.act,
  };
  if (shape.hidden % shape.heads !== 0) throw new UsageError('--hidden must be divisible by --heads');
  const steps = options.has('steps') ? positiveIntOption(options, 'steps', 1) : undefined;
  const plan = plans(mode, steps);
  const tokenizer = readTokenizer();
  const started = performance.now();
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  log(`${command}: model ${JSON.stringify(shape)}, mode ${mode}`);

  const backends: BackendReport[] = [];
  backends.push(await nodeSuite('wasm', shape, plan.wasm, tokenizer));
  if (!options.has('no-cpu')) backends.push(await nodeSuite('cpu', shape, plan.cpu, tokenizer));
  if (!options.has('no-node-webgpu')) backends.push(await nodeSuite('webgpu', shape, plan.nodeWebgpu, tokenizer));
  let chromiumVersion: string | null = null;
  if (!options.has('no-browser')) {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (or pass --no-browser)`);
    const { report, version } = await chromiumSuite(shape, plan.chromium);
    backends.push(report);
    chromiumVersion = version;
  }
  const report: BenchReport = {
    command,
    date: new Date().toISOString(),
    mode,
    model: shape,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, chromium: chromiumVersion, tfjs: tf.version.tfjs },
    seconds: (performance.now() - started) / 1000,
    backends,
    targets: [],
  };
  report.targets = targetsOf(report);
  process.stdout.write(printReport(report));
  const out = path.resolve(options.get('out') ?? path.join(ROOT, 'bench/results/latest.json'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  // The printed tables beside the JSON, for reading without rerunning.
  fs.writeFileSync(out.replace(/\.json$/, '') + '.txt', printReport(report));
  process.stdout.write(`\nJSON: ${path.relative(process.cwd(), out)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Dawn's device keeps the event loop alive; the results are written.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
