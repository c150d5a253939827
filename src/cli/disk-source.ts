import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelSource } from '../core/model-source';

/** A model folder on disk. */
export function diskSource(dir: string): ModelSource {
  return {
    label: dir,
    async read(file, onProgress) {
      try {
        const bytes = new Uint8Array(await fs.readFile(path.join(dir, file)));
        onProgress?.(bytes.byteLength, bytes.byteLength);
        return bytes;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}

/** Writes an exported model folder; files go to a temporary folder first so a failure leaves nothing half-written. */
export async function writeModelFolder(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const tmp = `${dir.replace(/\/+$/, '')}.partial-${process.pid}`;
  await fs.rm(tmp, { recursive: true, force: true });
  try {
    for (const [name, bytes] of files) {
      await fs.mkdir(path.dirname(path.join(tmp, name)), { recursive: true });
      await fs.writeFile(path.join(tmp, name), bytes);
    }
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
