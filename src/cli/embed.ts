import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BACKENDS, type BackendName } from '../core/backend';
import { DEFAULT_MODEL } from '../core/defaults';
import { embedTexts } from '../core/embed';
import { loadModel } from '../core/model-io';
import { fusedOption, parseOptions, positiveIntOption, UsageError } from './args';
import { diskSource } from './disk-source';
import { selectNodeBackend } from './node-backend';
import { DEFAULT_MODEL_DIR } from './paths';


export const EMBED_HELP = `  embed --in texts.jsonl --out vectors.f32 [--model DIR] [--batch N] [--backend wasm|cpu|webgpu] [--max-length N] [--fused on|off]
                       Embeds one text per input line (a JSON object with a string "text").
                       Writes little-endian float32, row-major, one L2-normalised row per line,
                       in input order. Progress goes to stderr; the last stdout line is JSON:
                       {"count","dim","model","backend","ms","truncated"}.
                       --model    a Hugging Face model folder (default: models/${DEFAULT_MODEL})
                       --batch    texts per forward pass (default 32)
                       --backend  tfjs backend (default wasm, the fastest on a CPU)
                       --max-length  tokens per text before truncation (default 128)
                       --fused    fused WebGPU kernels on webgpu (default on; off for the stock ops)
                       Empty texts embed as the empty string; longer texts are truncated and counted.
                       A line that is not JSON or has no string "text" stops the run with its number;
                       no output file is left behind on failure.`;

/** Reads a JSONL file of {"text": ...}; fails on the first bad line with its 1-based number. */
export async function readTexts(file: string): Promise<string[]> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lines = raw.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON object: ${JSON.stringify(line.slice(0, 60))}`);
    }
    const text = (value as { text?: unknown } | null)?.text;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof text !== 'string') {
      throw new Error(`${file}:${i + 1}: needs a string field "text"`);
    }
    return text;
  });
}

export async function runEmbed(argv: string[]): Promise<number> {
  const options = parseOptions(argv, ['in', 'out', 'model', 'batch', 'backend', 'max-length', 'fused']);
  const input = options.get('in');
  const output = options.get('out');
  if (!input || !output) throw new UsageError('embed needs --in and --out');
  const backend = (options.get('backend') ?? 'wasm') as BackendName;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
  const batchSize = positiveIntOption(options, 'batch', 32);
  const maxLength = positiveIntOption(options, 'max-length', 128);
  const modelDir = path.resolve(options.get('model') ?? DEFAULT_MODEL_DIR);

  const texts = await readTexts(input);
  const started = performance.now();
  const info = await selectNodeBackend(backend);
  const model = await loadModel(diskSource(modelDir), { maxLength });
  model.encoder.fused = fusedOption(options);
  process.stderr.write(`model ${model.name} (${model.encoder.parameterCount().toLocaleString('en')} parameters) on ${info.name}${info.adapter ? ` [${info.adapter}]` : ''}\n`);

  let lastReport = 0;
  const result = await embedTexts(model.encoder, model.tokenizer, texts, {
    batchSize,
    onProgress: ({ done, total }) => {
      const now = performance.now();
      if (now - lastReport > 1000 || done === total) {
        lastReport = now;
        process.stderr.write(`embedded ${done}/${total}\n`);
      }
    },
  });
  model.encoder.dispose();

  const bytes = new Uint8Array(result.vectors.length * 4);
  const view = new DataView(bytes.buffer);
  result.vectors.forEach((v, i) => view.setFloat32(i * 4, v, true));
  const tmp = `${output}.partial-${process.pid}`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, output);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new Error(`cannot write ${output}: ${(e as Error).message}`);
  }
  if (result.truncated > 0) process.stderr.write(`${result.truncated} text(s) truncated to ${model.tokenizer.maxLength} tokens\n`);
  const summary = {
    count: texts.length,
    dim: result.dim,
    model: model.name,
    backend: info.name,
    ms: Math.round(performance.now() - started),
    truncated: result.truncated,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
