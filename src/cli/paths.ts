import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from '../core/defaults';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, 'models', DEFAULT_MODEL);
