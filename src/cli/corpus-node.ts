import fs from 'node:fs';
import path from 'node:path';
import { ParallelCorpus, type CorpusPassage, type Split } from '../core/data/corpus';
import { LANGUAGES } from '../core/languages';
import { REPO_ROOT } from './paths';


/**
 * The bundled corpus read straight from its source (data/corpus/parts + split.json), so that Node
 * commands and tests need no build step. Only parts complete in every language are used.
 */
export function loadCorpusFromParts(root = REPO_ROOT, languages = LANGUAGES): ParallelCorpus {
  const partsDir = path.join(root, 'data/corpus/parts');
  const split = (JSON.parse(fs.readFileSync(path.join(root, 'data/corpus/split.json'), 'utf8')) as { passages: Record<string, Split> }).passages;
  const passages: Record<string, CorpusPassage[]> = Object.fromEntries(languages.map((l) => [l, []]));
  for (const part of fs.readdirSync(partsDir).sort()) {
    const files = languages.map((l) => path.join(partsDir, part, `${l}.json`));
    if (!files.every((f) => fs.existsSync(f))) continue;
    const parsed = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { passages: Omit<CorpusPassage, 'split'>[] });
    // A part still being written has no split yet (npm run data:check fails on it): leave it out.
    if (parsed[0]!.passages.some((p) => !split[p.id])) {
      process.stderr.write(`corpus: part ${part} has passages without a split; left out (run npm run data:build)\n`);
      continue;
    }
    languages.forEach((lang, i) => {
      for (const p of parsed[i]!.passages) passages[lang]!.push({ ...p, split: split[p.id]! });
    });
  }
  return new ParallelCorpus(languages, passages);
}
