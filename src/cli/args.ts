/** Thrown for bad command-line usage; the CLI exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses `--name value` options against a list of known names; flags listed in `booleans` take no
 * value. Unknown options and missing values are usage errors.
 */
export function parseOptions(argv: string[], known: string[], booleans: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!known.includes(name) && !booleans.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (booleans.includes(name)) {
      out.set(name, 'true');
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    out.set(name, value);
  }
  return out;
}

/**
 * --fused on|off: the fused WebGPU kernels for attention, add & LayerNorm and bias + GELU (default on;
 * they only run on the webgpu backend, other backends use the plain ops either way).
 */
export function fusedOption(options: Map<string, string>): boolean {
  const raw = options.get('fused') ?? 'on';
  if (raw !== 'on' && raw !== 'off') throw new UsageError(`--fused must be on or off, got "${raw}"`);
  return raw === 'on';
}

export function positiveIntOption(options: Map<string, string>, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}
