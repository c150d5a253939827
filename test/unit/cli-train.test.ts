import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixtureDir } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'polyglot-train-'));


const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

describe('npm run cli -- train / eval / experiment', () => {
  it('train writes a model folder that embed loads, with its log; --resume continues from the checkpoint', () => {
    const out = path.join(tmp, 'trained');
    const r = cli('train', '--strategy', 'cross', '--steps', '4', '--batch', '4', '--lr', '1e-3', '--model', fixtureDir('tiny-bert'), '--out', out, '--max-length', '24', '--checkpoint-every', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ steps: 4 });
    expect(r.stderr).toMatch(/step 4\/4 loss [\d.]+ lr/);
    const log = fs.readFileSync(path.join(out, 'training_log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(log).toHaveLength(4);
    expect(log.every((e) => e.kind === 'cross')).toBe(true);
    expect(fs.existsSync(`${out}.checkpoint`)).toBe(false);
    const input = path.join(tmp, 'one.jsonl');
    fs.writeFileSync(input, '{"text": "How deep is the lake?"}\n');
    const e = cli('embed', '--in', input, '--out', path.join(tmp, 'one.f32'), '--model', out, '--backend', 'cpu');
    expect(e.status, e.stderr).toBe(0);

    // A run cut after 2 of 4 steps and resumed ends with exactly the weights of an uninterrupted run.
    const common = ['--strategy', 'hybrid', '--steps', '4', '--batch', '4', '--lr', '1e-3', '--model', fixtureDir('tiny-bert'), '--max-length', '24', '--backend', 'cpu'];
    const whole = path.join(tmp, 'whole');
    expect(cli('train', ...common, '--out', whole).status).toBe(0);
    const cut = path.join(tmp, 'cut');
    const first = cli('train', ...common, '--out', cut, '--stop-after', '2');
    expect(first.status, first.stderr).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ step: 2, steps: 4 });
    expect(fs.existsSync(cut)).toBe(false);
    const second = cli('train', ...common, '--out', cut, '--resume');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resumed at step 2/);
    expect(fs.readFileSync(path.join(cut, 'model.safetensors')).equals(fs.readFileSync(path.join(whole, 'model.safetensors')))).toBe(true);
    expect(cli('train', '--strategy', 'bogus', '--out', out).status).toBe(2);
  });

  it('eval prints the metrics as JSON', () => {
    const r = cli('eval', '--model', fixtureDir('tiny-bert'), '--xquad-r', 'none', '--languages', 'en,de,zh', '--max-length', '24');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { reports: { task: string; mono: number; cross: number; multi: number; rankDistance: number; matrix: Record<string, Record<string, number>> }[] };
    const report = out.reports[0]!;
    expect(report.task).toBe('corpus:test');
    for (const k of ['mono', 'cross', 'multi'] as const) expect(report[k]).toBeGreaterThan(0);
    expect(Object.keys(report.matrix)).toEqual(['en', 'de', 'zh']);
    expect(report.matrix.en!.en).toBeGreaterThan(0);
  });

  it('experiment trains the three strategies from one base and writes the table as JSON and CSV', () => {
    const out = path.join(tmp, 'experiment');
    const r = cli('experiment', '--steps', '2', '--batch', '4', '--model', fixtureDir('tiny-bert'), '--xquad-r', 'none', '--out', out, '--max-length', '24');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/corpus:test\nmodel\s+mono mAP\s+cross mAP\s+multi mAP\s+rank dist\.\nbase .*\nmono .*\ncross .*\nhybrid /);
    const csv = fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('model,seed,task,mono,cross,multi,rank_distance');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['base', 'mono', 'cross', 'hybrid']);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { runs: { strategy: string }[] };
    expect(json.runs.map((x) => x.strategy)).toEqual(['mono', 'cross', 'hybrid']);
  });
});
