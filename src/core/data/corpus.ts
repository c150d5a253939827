/** The bundled parallel corpus as the app and the CLI read it (public/data/corpus, built by data:build). */
export type Split = 'train' | 'dev' | 'test';

export interface CorpusPassage {
  id: string;
  split: Split;
  topic: string;
  title: string;
  sentences: string[];
  questions: { id: string; text: string; answer: number }[];
}

export interface CorpusManifest {
  version: string;
  languages: string[];
  counts: Record<string, { passages: number; sentences: number; questions: number; bySplit: Record<Split, number> }>;
  files: Record<string, { path: string; bytes: number; sha256: string }>;
}

/** A question asked in every language, with its answer sentence in every language. */
export interface QuestionGroup {
  questionId: string;
  passageId: string;
  answer: number;
  /** language -> question text */
  questions: Record<string, string>;
  /** language -> answer sentence */
  answers: Record<string, string>;
}

export class ParallelCorpus {
  constructor(
    readonly languages: string[],
    /** language -> passages, in the same order in every language. */
    readonly passages: Record<string, CorpusPassage[]>,
    readonly version = '',
  ) {
    const first = passages[languages[0]!] ?? [];
    for (const lang of languages) {
      const list = passages[lang];
      if (!list || list.length !== first.length || list.some((p, i) => p.id !== first[i]!.id)) {
        throw new Error(`corpus: language ${lang} is not aligned with ${languages[0]}`);
      }
    }
  }

  /** A corpus restricted to some languages (all of them by default). */
  withLanguages(languages: string[]): ParallelCorpus {
    const missing = languages.filter((l) => !this.languages.includes(l));
    if (missing.length) throw new Error(`corpus has no ${missing.join(', ')}`);
    return new ParallelCorpus(languages, Object.fromEntries(languages.map((l) => [l, this.passages[l]!])), this.version);
  }

  passagesOf(split: Split, lang = this.languages[0]!): CorpusPassage[] {
    return this.passages[lang]!.filter((p) => p.split === split);
  }

  questionGroups(split: Split): QuestionGroup[] {
    const groups: QuestionGroup[] = [];
    const index = this.passages[this.languages[0]!]!;
    index.forEach((p, i) => {
      if (p.split !== split) return;
      p.questions.forEach((q, k) => {
        const questions: Record<string, string> = {};
        const answers: Record<string, string> = {};
        for (const lang of this.languages) {
          const lp = this.passages[lang]![i]!;
          questions[lang] = lp.questions[k]!.text;
          answers[lang] = lp.sentences[q.answer]!;
        }
        groups.push({ questionId: q.id, passageId: p.id, answer: q.answer, questions, answers });
      });
    });
    return groups;
  }
}

/** Reads the built corpus through `read(path)`: fetch in the browser, the file system in Node. */
export async function loadCorpus(read: (file: string) => Promise<string>, languages?: string[]): Promise<ParallelCorpus> {
  const manifest = JSON.parse(await read('manifest.json')) as CorpusManifest;
  const langs = languages ?? manifest.languages;
  const passages: Record<string, CorpusPassage[]> = {};
  for (const lang of langs) {
    if (!manifest.files[lang]) throw new Error(`corpus manifest has no language "${lang}"`);
    const data = JSON.parse(await read(manifest.files[lang].path)) as { passages: CorpusPassage[] };
    passages[lang] = data.passages;
  }
  return new ParallelCorpus(langs, passages, manifest.version);
}
