// The corpus validator must fail loudly on each kind of damage; a clean copy of a real part passes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCorpus, forbiddenSubjectOf, LANGUAGES, listParts } from '../../scripts/check-corpus.mjs';
import { repoRoot } from './helpers';

interface Passage {
  id: string;
  title: string;
  sentences: string[];
  questions: { id: string; text: string; answer: number }[];
}
type PartFiles = Record<string, { part: string; lang: string; passages: Passage[] }>;

const source = listParts(path.join(repoRoot, 'data/corpus/parts'))[0];

/** A copy of the first committed part, damaged by `edit`; returns the validator's errors. */
function errorsAfter(edit: (files: PartFiles) => void, evalDir?: string): string[] {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-')), path.basename(source!));
  fs.mkdirSync(dir);
  const files: PartFiles = {};
  for (const lang of LANGUAGES) files[lang] = JSON.parse(fs.readFileSync(path.join(source!, `${lang}.json`), 'utf8'));
  edit(files);
  for (const [lang, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${lang}.json`), JSON.stringify(data));
  return checkCorpus({ partDirs: [dir], evalDir }).report.errors;
}

describe.skipIf(!source)('the corpus validator', () => {
  it('passes an untouched part', () => {
    expect(errorsAfter(() => {})).toEqual([]);
  });

  it('fails on a missing item in one language', () => {
    expect(errorsAfter((f) => f.de!.passages[0]!.sentences.pop()).join('\n')).toMatch(/sentences, English has/);
    expect(errorsAfter((f) => f.ja!.passages.pop()).join('\n')).toMatch(/passages, English has|missing/);
  });

  it('fails on text in the wrong script', () => {
    expect(errorsAfter((f) => (f.ru!.passages[0]!.sentences[0] = f.el!.passages[0]!.sentences[0]!)).join('\n')).toMatch(/letters in the ru script/);
    expect(errorsAfter((f) => (f.zh!.passages[1]!.sentences[1] = f.ja!.passages[1]!.sentences[1]!)).join('\n')).toMatch(/kana/);
  });

  it('fails on English left in a Latin-script language', () => {
    const errors = errorsAfter((f) => {
      for (const p of f.sw!.passages.slice(0, 3)) p.sentences = p.sentences.map((_, i) => `${f.en!.passages[0]!.sentences[i % 3]} The end of it was in the year ${i}.`);
    });
    expect(errors.join('\n')).toMatch(/reads as English|identical to English/);
  });

  it('fails on a length ratio out of bounds, empty and duplicate items', () => {
    expect(errorsAfter((f) => (f.fr!.passages[2]!.sentences[1] = 'Oui.')).join('\n')).toMatch(/length ratio/);
    expect(errorsAfter((f) => (f.es!.passages[2]!.questions[0]!.text = '  ')).join('\n')).toMatch(/empty question/);
    expect(errorsAfter((f) => (f.vi!.passages[3]!.sentences[2] = f.vi!.passages[3]!.sentences[1]!)).join('\n')).toMatch(/duplicate of/);
  });

  it('fails on an answer index out of range or differing from English', () => {
    expect(errorsAfter((f) => (f.en!.passages[0]!.questions[0]!.answer = 9)).join('\n')).toMatch(/out of range/);
    expect(errorsAfter((f) => (f.hi!.passages[0]!.questions[1]!.answer = 0)).join('\n')).toMatch(/English has/);
  });

  it('fails on identical text across two languages', () => {
    expect(errorsAfter((f) => (f.tr!.passages[4]!.sentences[0] = f.de!.passages[4]!.sentences[0]!)).join('\n')).toMatch(/identical text/);
  });

  it('knows the evaluation subjects, and not their near neighbours', () => {
    expect(forbiddenSubjectOf('Genghis Khan')).toBe('Genghis Khan');
    expect(forbiddenSubjectOf('Sky')).toBe('Sky (United Kingdom)');
    expect(forbiddenSubjectOf('Victoria Falls')).toBeNull();
    expect(forbiddenSubjectOf('Rhineland')).toBeNull();
  });
});

describe('the corpus validator on the evaluation overlap', () => {
  const evalDir = path.resolve(repoRoot, '../shared/eval/xquad-r-dev');
  it.skipIf(!source || !fs.existsSync(evalDir))('fails on a sentence taken from ../shared/eval (skipped when the folder is absent)', () => {
    const data = JSON.parse(fs.readFileSync(path.join(evalDir, 'de.json'), 'utf8')) as {
      data: { paragraphs: { context: string; sentence_breaks: [number, number][] }[] }[];
    };
    const para = data.data[0]!.paragraphs[0]!;
    const [s, e] = para.sentence_breaks.find(([a, b]) => b - a > 80)!;
    const borrowed = para.context.slice(s, e).trim();
    expect(errorsAfter((f) => (f.de!.passages[0]!.sentences[0] = borrowed), evalDir).join('\n')).toMatch(/overlaps the evaluation set/);
  });
});
