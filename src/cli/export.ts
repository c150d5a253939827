import path from 'node:path';
import { exportModel, loadModel } from '../core/model-io';
import { parseOptions, UsageError } from './args';
import { diskSource, writeModelFolder } from './disk-source';
import { selectNodeBackend } from './node-backend';

export const EXPORT_HELP = `  export --model DIR --out DIR [--dtype f32|f16]
                       Loads a model folder (checking every file) and writes it back in the
                       Hugging Face layout: config.json, tokenizer files, model.safetensors in the
                       chosen storage type (default f32), modules.json and 1_Pooling/config.json.
                       Converts float16/bfloat16 checkpoints and adds the sentence-transformers files.`;

export async function runExport(argv: string[]): Promise<number> {
  const options = parseOptions(argv, ['model', 'out', 'dtype']);
  const modelDir = options.get('model');
  const out = options.get('out');
  if (!modelDir || !out) throw new UsageError('export needs --model and --out');
  const dtype = (options.get('dtype') ?? 'f32').toUpperCase();
  if (dtype !== 'F32' && dtype !== 'F16') throw new UsageError('--dtype must be f32 or f16');
  if (path.resolve(modelDir) === path.resolve(out)) throw new UsageError('--out must differ from --model');
  await selectNodeBackend('cpu');
  const model = await loadModel(diskSource(path.resolve(modelDir)));
  const files = await exportModel(model, { dtype });
  model.encoder.dispose();
  await writeModelFolder(path.resolve(out), files);
  const bytes = [...files.values()].reduce((n, b) => n + b.byteLength, 0);
  process.stdout.write(`${JSON.stringify({ model: model.name, out: path.resolve(out), dtype, files: files.size, bytes })}\n`);
  return 0;
}
