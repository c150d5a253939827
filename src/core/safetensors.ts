import { ModelFormatError } from './errors';

/** Storage types this reader decodes; every one is widened to float32 on load. */
export type StorageDtype = 'F32' | 'F16' | 'BF16';
const BYTES_PER_ELEMENT: Record<StorageDtype, number> = { F32: 4, F16: 2, BF16: 2 };
const KNOWN_UNSUPPORTED = ['F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'F8_E5M2'];
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, NamedTensor>;
  dtypes: Map<string, StorageDtype>;
  metadata: Record<string, string>;
}

export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round-to-nearest-even float32 -> float16 bits. */
export function float32ToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rolls into the exponent, which is the correct rounding up.
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

function decode(bytes: Uint8Array, dtype: StorageDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = float16ToFloat32(view.getUint16(i * 2, true));
  } else {
    const word = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) word[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}

/**
 * Parses a .safetensors file completely and checks it against its own header: the sizes it claims,
 * the dtypes, that the tensors tile the data region exactly. Throws ModelFormatError naming `file`.
 */
export function parseSafetensors(bytes: Uint8Array, file = 'model.safetensors'): SafetensorsFile {
  if (bytes.byteLength < 8) throw new ModelFormatError(file, `truncated: ${bytes.byteLength} bytes, not even a header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.byteLength) {
    throw new ModelFormatError(
      file,
      `header claims ${headerLength} bytes but the file has ${bytes.byteLength - 8} after the length: truncated or not a safetensors file`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new ModelFormatError(file, `header is not valid UTF-8 JSON (${(e as Error).message}): corrupt or not a safetensors file`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ModelFormatError(file, 'header is not a JSON object');
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, NamedTensor>();
  const dtypes = new Map<string, StorageDtype>();
  let metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) throw new ModelFormatError(file, `tensor "${name}": header entry is not an object`);
    if (typeof e.dtype !== 'string' || !(e.dtype in BYTES_PER_ELEMENT)) {
      const why = typeof e.dtype === 'string' && KNOWN_UNSUPPORTED.includes(e.dtype) ? 'unsupported' : 'unknown';
      throw new ModelFormatError(file, `tensor "${name}": ${why} dtype ${JSON.stringify(e.dtype)} (supported: F32, F16, BF16)`);
    }
    const dtype = e.dtype as StorageDtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ModelFormatError(file, `tensor "${name}": shape ${JSON.stringify(e.shape)} is not a list of sizes`);
    }
    const shape = e.shape as number[];
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new ModelFormatError(file, `tensor "${name}": data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const count = shape.reduce((a, b) => a * b, 1);
    const expected = count * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expected) {
      throw new ModelFormatError(
        file,
        `tensor "${name}": header says ${end - begin} bytes but shape [${shape.join(', ')}] of ${dtype} needs ${expected}`,
      );
    }
    if (end > data.byteLength) {
      throw new ModelFormatError(file, `tensor "${name}": data ends at byte ${end} but the file holds ${data.byteLength}: truncated`);
    }
    spans.push({ name, begin, end });
    tensors.set(name, { name, shape, data: decode(data.subarray(begin, end), dtype, count) });
    dtypes.set(name, dtype);
  }
  spans.sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const span of spans) {
    if (span.begin !== cursor) {
      throw new ModelFormatError(
        file,
        span.begin < cursor ? `tensor "${span.name}" overlaps the tensor before it` : `gap of ${span.begin - cursor} bytes before tensor "${span.name}"`,
      );
    }
    cursor = span.end;
  }
  if (cursor !== data.byteLength) {
    throw new ModelFormatError(file, `${data.byteLength - cursor} bytes after the last tensor: the header does not describe the file`);
  }
  return { tensors, dtypes, metadata };
}

/** Writes tensors as a .safetensors file, in the given storage type, in the order given. */
export function serializeSafetensors(
  tensors: NamedTensor[],
  dtype: 'F32' | 'F16' = 'F32',
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const size = t.data.length * BYTES_PER_ELEMENT[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of tensors) {
    if (dtype === 'F32') {
      for (let i = 0; i < t.data.length; i++, pos += 4) view.setFloat32(pos, t.data[i]!, true);
    } else {
      for (let i = 0; i < t.data.length; i++, pos += 2) view.setUint16(pos, float32ToFloat16(t.data[i]!), true);
    }
  }
  return out;
}
