// The benchmark's tables and target verdicts, from the JSON report alone (so old results reprint).
import type { BackendReport } from './suite';
import type { ModelShape } from './synthetic';

export interface Target {
  name: string;
  goal: string;
  reached: string;
  met: boolean | null;
}

export interface BenchReport {
  command: string;
  date: string;
  mode: string;
  model: ModelShape;
  machine: { cpus: number; cpuModel: string; node: string; chromium: string | null; tfjs: string };
  seconds: number;
  backends: BackendReport[];
  targets: Target[];
}

const where = (b: BackendReport) => `${b.environment} ${b.backend}`;

/** Stock ms / fused ms for each training shape run both ways on one backend. */
function speedups(b: BackendReport): { batch: number; length: number; ratio: number }[] {
  const out: { batch: number; length: number; ratio: number }[] = [];
  for (const fused of b.training.filter((r) => r.fused)) {
    const stock = b.training.find((r) => !r.fused && r.batch === fused.batch && r.length === fused.length);
    if (stock) out.push({ batch: fused.batch, length: fused.length, ratio: stock.msPerStep / fused.msPerStep });
  }
  return out;
}

export function targetsOf(report: BenchReport): Target[] {
  const targets: Target[] = [];
  for (const b of report.backends.filter((x) => x.backend === 'webgpu')) {
    const s = speedups(b);
    if (s.length === 0) continue;
    const worst = Math.min(...s.map((x) => x.ratio));
    targets.push({
      name: `fused vs stock training step, ${where(b)}`,
      goal: '>= 2x faster at every shape, same adapter, same run',
      reached: s.map((x) => `b${x.batch}/t${x.length} ${x.ratio.toFixed(2)}x`).join(', '),
      met: worst >= 2,
    });
  }
  for (const b of report.backends.filter((x) => x.backend === 'wasm')) {
    const fractions = b.training.map((r) => ({ r, f: r.gflops / b.matmul.gflops }));
    if (fractions.length === 0) continue;
    const best = Math.max(...fractions.map((x) => x.f));
    targets.push({
      name: `wasm training step vs wasm large-matmul rate, ${where(b)}`,
      goal: '>= 50% of the matmul rate',
      reached: fractions.map(({ r, f }) => `b${r.batch}/t${r.length} ${(100 * f).toFixed(1)}%`).join(', '),
      met: best >= 0.5,
    });
    const tenK = b.search.find((s) => s.passages === 10000);
    if (tenK) {
      targets.push({ name: `search p95 over 10,000 passages, ${where(b)}`, goal: '< 50 ms', reached: `${tenK.p95.toFixed(1)} ms`, met: tenK.p95 < 50 });
    }
  }
  for (const b of report.backends) {
    for (const m of b.memory) {
      targets.push({
        name: `no memory growth over ${m.steps} steps, ${where(b)}`,
        goal: 'tensors and bytes after the last step = after the first',
        reached: `tensors ${m.tensorsAfterFirst} -> ${m.tensorsAfterLast}, bytes ${m.bytesAfterFirst} -> ${m.bytesAfterLast}`,
        met: m.tensorsAfterLast === m.tensorsAfterFirst && m.bytesAfterLast === m.bytesAfterFirst,
      });
    }
  }
  return targets;
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function printReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`${r.command}  (${r.date}, ${r.mode}, ${r.seconds.toFixed(0)} s)`);
  out.push(`model: hidden ${r.model.hidden}, ${r.model.layers} layers, ${r.model.heads} heads, intermediate ${r.model.intermediate}, vocab ${r.model.vocab}`);
  out.push(`machine: ${r.machine.cpus} x ${r.machine.cpuModel}; node ${r.machine.node}; chromium ${r.machine.chromium ?? '-'}; tfjs ${r.machine.tfjs}`);
  for (const b of r.backends) if (b.adapter) out.push(`adapter (${where(b)}): ${b.adapter}`);
  out.push('', 'Training step (tokenize, forward, InfoNCE, gradients, clipping, AdamW); FLOPs counted from the shapes');
  const trainingRows: (string | number)[][] = [];
  for (const b of r.backends) {
    const ratios = speedups(b);
    for (const t of b.training) {
      const ratio = t.fused ? ratios.find((x) => x.batch === t.batch && x.length === t.length)?.ratio : undefined;
      trainingRows.push([
        b.environment,
        b.backend,
        b.backend === 'webgpu' ? (t.fused ? 'fused' : 'stock') : '-',
        t.batch,
        t.length,
        t.msPerStep.toFixed(0),
        t.pairsPerSecond.toFixed(1),
        t.gflops.toFixed(3),
        `${((100 * t.gflops) / b.matmul.gflops).toFixed(1)}%`,
        ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
      ]);
    }
  }
  out.push(table(['env', 'backend', 'kernels', 'batch', 'seq', 'ms/step', 'pairs/s', 'GFLOP/s', 'of matmul peak', 'fused speedup'], trainingRows));
  out.push('', "Each backend's own large matmul (tf.matMul n x n x n, best of 3)");
  out.push(table(['env', 'backend', 'n', 'ms', 'GFLOP/s'], r.backends.map((b) => [b.environment, b.backend, b.matmul.n, b.matmul.ms.toFixed(1), b.matmul.gflops.toFixed(3)])));
  const embeddingRows = r.backends.flatMap((b) =>
    b.embedding.map((e) => [b.environment, b.backend, b.backend === 'webgpu' ? (e.fused ? 'fused' : 'stock') : '-', e.sentences, e.length, e.sentencesPerSecond.toFixed(1)]),
  );
  if (embeddingRows.length > 0) {
    out.push('', 'Embedding throughput (embedTexts, batches of 32, texts cut to the length)');
    out.push(table(['env', 'backend', 'kernels', 'texts', 'tokens', 'sentences/s'], embeddingRows));
  }
  const searchRows = r.backends.flatMap((b) => b.search.map((s) => [b.environment, b.backend, s.passages, s.queries, s.p50.toFixed(1), s.p95.toFixed(1), s.rankP50.toFixed(1)]));
  if (searchRows.length > 0) {
    out.push('', 'Search latency, ms (embed the query, cosine against every passage, top 10; pool: random unit vectors)');
    out.push(table(['env', 'backend', 'passages', 'queries', 'p50', 'p95', 'ranking p50'], searchRows));
  }
  const memoryRows = r.backends.flatMap((b) =>
    b.memory.map((m) => [
      b.environment,
      b.backend,
      b.backend === 'webgpu' ? (m.fused ? 'fused' : 'stock') : '-',
      m.steps,
      `${m.batch}x${m.length}`,
      `${m.tensorsAfterFirst} -> ${m.tensorsAfterLast}`,
      `${mib(m.bytesAfterFirst)} -> ${mib(m.bytesAfterLast)}`,
      mib(m.peakBytes),
      mib(m.peakBytesInStep),
    ]),
  );
  if (memoryRows.length > 0) {
    out.push('', 'Memory across training steps (tfjs tensors and bytes after each step; peak within the last step)');
    out.push(table(['env', 'backend', 'kernels', 'steps', 'batch', 'tensors first -> last', 'bytes first -> last', 'peak between steps', 'peak in step'], memoryRows));
  }
  out.push('', 'Targets');
  out.push(table(['target', 'goal', 'reached', 'met'], r.targets.map((t) => [t.name, t.goal, t.reached, t.met === null ? '-' : t.met ? 'yes' : 'NO'])));
  return `${out.join('\n')}\n`;
}
