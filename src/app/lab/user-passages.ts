/**
 * Passages the user adds to the search pool: pasted text, or .txt / .json / .jsonl files. Parsing is
 * strict about shape and generous about fields; anything unusable is reported, never dropped silently.
 */
import { LANGUAGES } from '../../core/languages';

export interface UserPassage {
  id: string;
  lang: string;
  title: string;
  sentences: string[];
}

/** More than this many sentences in one addition is refused: indexing them would take too long in a tab. */
export const MAX_SENTENCES_PER_ADDITION = 50_000;
/** Larger inputs are refused before parsing. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** Longer passages are refused: one passage should be a paragraph, not a book. */
const MAX_PASSAGE_CHARS = 20_000;

export class InputRefused extends Error {}

/** The language of a text from its script, where the script tells; 'und' (undetermined) otherwise. */
export function languageByScript(text: string): string {
  const sample = text.slice(0, 400);
  const count = (re: RegExp) => (sample.match(re) ?? []).length;
  const scripts: [string, number][] = [
    ['ar', count(/[\u0600-\u06FF]/g)],
    ['bn', count(/[\u0980-\u09FF]/g)],
    ['el', count(/[\u0370-\u03FF]/g)],
    ['hi', count(/[\u0900-\u097F]/g)],
    ['th', count(/[\u0E00-\u0E7F]/g)],
    ['ru', count(/[\u0400-\u04FF]/g)],
    ['ja', count(/[\u3040-\u30FF]/g) * 3],
    ['zh', count(/[\u4E00-\u9FFF]/g)],
  ];
  const [lang, n] = scripts.sort((a, b) => b[1] - a[1])[0]!;
  if (n === 0) return 'und';
  // Japanese text mixes kanji with kana; Chinese has no kana.
  if (lang === 'zh' && count(/[\u3040-\u30FF]/g) > 0) return 'ja';
  return lang;
}

const segmenters = new Map<string, Intl.Segmenter>();
/** Sentences of a passage, by the platform's Unicode sentence segmentation. */
export function splitSentences(text: string, lang: string): string[] {
  const locale = LANGUAGES.includes(lang) ? lang : 'en';
  let seg = segmenters.get(locale);
  if (!seg) segmenters.set(locale, (seg = new Intl.Segmenter(locale, { granularity: 'sentence' })));
  const out: string[] = [];
  for (const s of seg.segment(text)) {
    const t = s.segment.trim();
    if (t) out.push(t);
  }
  return out;
}

interface RawPassage {
  text: string;
  lang?: string;
  title?: string;
  id?: string;
}

function fromJsonValue(value: unknown, where: string): RawPassage {
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const text = o.text ?? o.passage ?? o.content ?? (Array.isArray(o.sentences) ? o.sentences.join(' ') : undefined);
    if (typeof text !== 'string') throw new InputRefused(`${where}: an object needs a "text" (or "passage", "content", "sentences") field`);
    const lang = typeof o.lang === 'string' ? o.lang : typeof o.language === 'string' ? o.language : undefined;
    return { text, lang, title: typeof o.title === 'string' ? o.title : undefined, id: typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : undefined };
  }
  throw new InputRefused(`${where}: expected a string or an object with "text", got ${Array.isArray(value) ? 'a list' : typeof value}`);
}

/** Raw passages from the text of a file (by its name) or of a paste. */
function rawPassages(text: string, fileName: string | null): RawPassage[] {
  const name = (fileName ?? '').toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) {
    const out: RawPassage[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new InputRefused(`${fileName}, line ${i + 1}: not valid JSON (${(e as Error).message})`);
      }
      out.push(fromJsonValue(value, `${fileName}, line ${i + 1}`));
    });
    return out;
  }
  if (name.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new InputRefused(`${fileName}: not valid JSON (${(e as Error).message})`);
    }
    const list = Array.isArray(value) ? value : (value as { passages?: unknown })?.passages;
    if (!Array.isArray(list)) throw new InputRefused(`${fileName}: expected a list of passages, or an object with a "passages" list`);
    return list.map((v, i) => fromJsonValue(v, `${fileName}, item ${i + 1}`));
  }
  // Plain text: passages are separated by blank lines.
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((t) => ({ text: t }));
}

/**
 * Parses an addition into passages with their sentences. `lang` is the user's choice: a language code,
 * or 'auto' to take it from each passage's field or script.
 */
export function parseUserPassages(text: string, fileName: string | null, lang: string, idPrefix: string): UserPassage[] {
  const bytes = text.length * 2;
  if (bytes > MAX_INPUT_BYTES * 2) throw new InputRefused(`${fileName ?? 'the pasted text'} is ${(text.length / 1e6).toFixed(1)} million characters; the limit is ${MAX_INPUT_BYTES / 1024 / 1024} MB per addition`);
  const raw = rawPassages(text, fileName);
  if (raw.length === 0) throw new InputRefused(`${fileName ?? 'the pasted text'} has no passages (passages are separated by blank lines)`);
  const out: UserPassage[] = [];
  let sentences = 0;
  raw.forEach((r, i) => {
    if (r.text.length > MAX_PASSAGE_CHARS) {
      throw new InputRefused(`passage ${i + 1} is ${r.text.length.toLocaleString('en')} characters long; the limit is ${MAX_PASSAGE_CHARS.toLocaleString('en')} (separate paragraphs with a blank line)`);
    }
    const l = lang !== 'auto' ? lang : r.lang && /^[a-z]{2,3}$/i.test(r.lang) ? r.lang.toLowerCase() : languageByScript(r.text);
    const s = splitSentences(r.text, l);
    if (s.length === 0) return;
    sentences += s.length;
    if (sentences > MAX_SENTENCES_PER_ADDITION) {
      throw new InputRefused(
        `${fileName ?? 'the pasted text'} has ${raw.length.toLocaleString('en')} passages, more than the ${MAX_SENTENCES_PER_ADDITION.toLocaleString('en')} sentences ` +
          `one addition may hold (indexing them in a browser tab would take too long); add it in smaller parts`,
      );
    }
    out.push({ id: `${idPrefix}-${r.id ?? i + 1}`, lang: l, title: r.title ?? r.text.slice(0, 60), sentences: s });
  });
  return out;
}
