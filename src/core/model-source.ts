/** Where a model folder's files come from: a URL, a folder the user picked, or the disk (in Node). */
export interface ModelSource {
  /** A human-readable name for messages: the URL, the folder name or the path. */
  readonly label: string;
  /** The file's bytes, or null when the folder has no such file. Throws on other failures. */
  read(file: string, onProgress?: (loaded: number, total: number | null) => void): Promise<Uint8Array | null>;
}

/** Files over HTTP(S) under a base URL, with download progress where the server gives a length. */
export function urlSource(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    label: base,
    async read(file, onProgress) {
      let response: Response;
      try {
        response = await fetchImpl(new URL(file, new URL(base, globalThis.location?.href ?? 'http://localhost/')).href);
      } catch (e) {
        throw new Error(`${base}${file}: cannot fetch (${(e as Error).message})`);
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`${base}${file}: HTTP ${response.status} ${response.statusText}`);
      const totalHeader = response.headers.get('content-length');
      const total = totalHeader ? Number(totalHeader) : null;
      if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress(loaded, total);
      }
      const out = new Uint8Array(loaded);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.byteLength;
      }
      return out;
    },
  };
}

/**
 * A folder picked in the browser (an <input webkitdirectory> FileList, or File objects with their
 * relative paths). Paths are taken relative to the picked folder.
 */
export function filesSource(files: Iterable<File>, label = 'selected folder'): ModelSource {
  const byPath = new Map<string, File>();
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const parts = rel.split('/');
    // webkitRelativePath starts with the picked folder's own name.
    byPath.set(parts.length > 1 ? parts.slice(1).join('/') : rel, f);
  }
  return {
    label,
    async read(file, onProgress) {
      const f = byPath.get(file);
      if (!f) return null;
      const bytes = new Uint8Array(await f.arrayBuffer());
      onProgress?.(bytes.byteLength, bytes.byteLength);
      return bytes;
    },
  };
}

/** In-memory files, e.g. an unpacked export. */
export function memorySource(files: Map<string, Uint8Array>, label = 'memory'): ModelSource {
  return {
    label,
    async read(file) {
      return files.get(file) ?? null;
    },
  };
}
