// The page's results as files: every run with its settings and reports (JSON), and one row per model
// and metric set (CSV, the same columns as the CLI's experiment results.csv).
import type { RetrievalReport } from '../core/eval/retrieval';
import type { EvaluationPoint } from './lab.svelte';
import type { RunResult } from './worker';

export function resultsJson(model: string | null, runs: RunResult[], evaluations: EvaluationPoint[]): string {
  return `${JSON.stringify({ model, savedAt: new Date().toISOString(), runs, evaluations }, null, 1)}\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsCsv(runs: RunResult[]): string {
  const header = ['model', 'strategy', 'alpha', 'steps', 'batch', 'lr', 'temperature', 'seed', 'languages', 'task', 'mono', 'cross', 'multi', 'rank_distance'];
  const row = (label: string, r: RunResult | null, report: RetrievalReport) =>
    [
      label,
      r?.settings.strategy ?? '',
      r?.settings.alpha ?? '',
      r?.steps ?? '',
      r?.settings.batchSize ?? '',
      r?.settings.lr ?? '',
      r?.settings.temperature ?? '',
      r?.settings.seed ?? '',
      report.languages.join(' '),
      report.task,
      report.mono,
      report.cross,
      report.multi,
      report.rankDistance,
    ]
      .map(csvCell)
      .join(',');
  const lines = [header.join(',')];
  if (runs[0]) lines.push(row('base', null, runs[0].base));
  for (const r of runs) lines.push(row(r.run, r, r.report));
  return `${lines.join('\n')}\n`;
}
