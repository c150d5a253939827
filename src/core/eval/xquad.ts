import type { RetrievalTask } from './retrieval';

interface SquadFile {
  data: { paragraphs: { context: string; sentence_breaks: [number, number][]; qas: { id: string; question: string; answers: { answer_start: number }[] }[] }[] }[];
}

/**
 * The XQuAD-R retrieval task from its per-language SQuAD files (LAReQA protocol): candidates are the
 * sentences of every paragraph (sliced by sentence_breaks, trimmed); the relevant sentence of a question
 * in language L is the sentence of L's paragraph containing L's answer_start.
 */
export function xquadTask(files: Record<string, string>, name = 'xquad-r'): RetrievalTask {
  const languages = Object.keys(files).sort();
  const candidates: Record<string, string[]> = {};
  const relevantById: Record<string, Map<string, number>> = {};
  const questionById: Record<string, Map<string, string>> = {};
  for (const lang of languages) {
    const data = JSON.parse(files[lang]!) as SquadFile;
    const list: string[] = [];
    const relevant = new Map<string, number>();
    const questions = new Map<string, string>();
    for (const article of data.data) {
      for (const para of article.paragraphs) {
        const base = list.length;
        for (const [s, e] of para.sentence_breaks) list.push(para.context.slice(s, e).trim());
        for (const qa of para.qas) {
          const start = qa.answers[0]?.answer_start;
          if (start === undefined) throw new Error(`${lang}: question ${qa.id} has no answer`);
          let idx = para.sentence_breaks.findIndex(([s, e]) => start >= s && start < e);
          if (idx < 0) idx = para.sentence_breaks.length - 1;
          relevant.set(qa.id, base + idx);
          questions.set(qa.id, qa.question);
        }
      }
    }
    candidates[lang] = list;
    relevantById[lang] = relevant;
    questionById[lang] = questions;
  }
  const first = languages[0]!;
  const queries = [...questionById[first]!.keys()].map((id) => {
    const text: Record<string, string> = {};
    const relevant: Record<string, number> = {};
    for (const lang of languages) {
      const q = questionById[lang]!.get(id);
      if (q === undefined) throw new Error(`question ${id} is missing in ${lang}`);
      text[lang] = q;
      relevant[lang] = relevantById[lang]!.get(id)!;
    }
    return { id, text, relevant };
  });
  return { name, languages, candidates, queries };
}
