#!/usr/bin/env node
// Validates the bundled corpus (data/corpus/parts/*/<lang>.json): shape, ids, answers, scripts,
// length ratios, duplicates, untranslated text and overlap with the evaluation data.
// Usage:
//   node scripts/check-corpus.mjs                      every part, plus cross-part checks
//   node scripts/check-corpus.mjs --part DIR           one part (what an author runs before merging)
//   node scripts/check-corpus.mjs --json               figures as JSON on stdout as well
// Exit status 1 when any error is found.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LANGUAGES = ['ar', 'bn', 'de', 'el', 'en', 'es', 'fr', 'hi', 'ja', 'ru', 'sw', 'th', 'tr', 'vi', 'zh'];
const LATIN_LANGUAGES = ['de', 'en', 'es', 'fr', 'sw', 'tr', 'vi'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Unicode ranges a language's letters are expected in. Latin letters in a non-Latin text are allowed
// in small numbers (symbols, units), which is why the checks use shares, not absolutes.
const RANGES = {
  latin: [[0x41, 0x5a], [0x61, 0x7a], [0xc0, 0x24f], [0x1e00, 0x1eff]],
  ar: [[0x600, 0x6ff], [0x750, 0x77f], [0x8a0, 0x8ff], [0xfb50, 0xfdff], [0xfe70, 0xfeff]],
  bn: [[0x980, 0x9ff]],
  el: [[0x370, 0x3ff], [0x1f00, 0x1fff]],
  hi: [[0x900, 0x97f], [0xa8e0, 0xa8ff]],
  ru: [[0x400, 0x4ff]],
  th: [[0xe00, 0xe7f]],
  han: [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x2ffff], [0x3005, 0x3007]],
  kana: [[0x3040, 0x309f], [0x30a0, 0x30ff], [0x31f0, 0x31ff], [0xff66, 0xff9f]],
};
const SCRIPT_OF = {
  ar: ['ar'], bn: ['bn'], el: ['el'], hi: ['hi'], ru: ['ru'], th: ['th'],
  zh: ['han'], ja: ['han', 'kana'],
  de: ['latin'], en: ['latin'], es: ['latin'], fr: ['latin'], sw: ['latin'], tr: ['latin'], vi: ['latin'],
};

// Frequent function words, to tell the Latin-script languages apart and to spot English left in.
const STOPWORDS = {
  en: 'the of and to in is was are were a an for with by from that which as it its on at this be has had have his her their into after also been who',
  de: 'der die das und ist war sind wurde wurden ein eine einen einem einer des dem den mit von zu im auf für als nach bei aus sich auch nicht es sie er wird werden durch über',
  es: 'el la los las de del y en es fue son un una por con para que se su sus al como más lo entre desde también fueron sobre',
  fr: 'le la les de des du et en est un une dans pour par sur au aux qui que avec il elle sont été était ce cette se son sa ses plus entre fut',
  sw: 'na ya wa kwa ni katika za la cha vya kama hii huo hiyo ambayo ambao mwaka pia kuwa alikuwa ilikuwa zaidi baada kutoka mji nchi hadi lakini wake yake',
  tr: 've bir bu da de ile için olan olarak ise en daha çok ilk yılında kadar sonra gibi tarafından ancak büyük veya ne nedir kim hangi mı mi mu mü kaç nerede neden nasıl hangisi kimdir yılda ayrıca',
  vi: 'của và là được có trong các những một người với cho này đã năm không từ đến khi như về theo nhà vào thành lập nào gì',
};
const STOPWORD_SETS = Object.fromEntries(
  Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words.split(' '))]),
);

// Letters that only (or mostly) that language writes; most of its sentences contain some.
const DIACRITICS = {
  vi: /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i,
  tr: /[ğışçöüİ]/,
  de: /[äöüß]/i,
  es: /[áéíóúñ¿¡]/i,
  fr: /[éèêàâçîôûëœ]/i,
};
const DIACRITIC_MIN_SHARE = { vi: 0.9, tr: 0.6, de: 0.3, es: 0.4, fr: 0.5 };

// Character-length ratio of a translation to its English source: outside the hard bounds is an error
// (a missing or extra sentence, a truncation), outside the soft ones a warning.
const RATIO_BOUNDS = {
  zh: { hard: [0.08, 1.2], soft: [0.15, 0.8] },
  ja: { hard: [0.1, 1.4], soft: [0.2, 0.95] },
  default: { hard: [0.35, 3.0], soft: [0.6, 2.0] },
};

const QUESTION_MARKS = { ar: /[؟?]\s*$/, zh: /[？?]\s*$/, ja: /[？?]\s*$/, el: /[;;?]\s*$/, default: /[?？]\s*$/ };

// Subjects of XQuAD's articles: the corpus must not be about them (evaluation stays zero-shot).
export const FORBIDDEN_SUBJECTS = [
  'Super Bowl 50', 'Normans', 'Computational complexity theory', 'Martin Luther', 'Sky (United Kingdom)',
  'Huguenots', 'Oxygen', 'Apollo program', 'Amazon rainforest', 'Fresno', 'Black Death',
  'Newcastle upon Tyne', 'American Broadcasting Company', 'Pharmacy', 'Civil disobedience',
  'Private school', 'Jacksonville', 'Doctor Who', 'Yuan dynasty', 'IPCC', 'Prime numbers',
  'Scottish Parliament', 'Imperialism', 'French and Indian War', 'Warsaw', 'Nikola Tesla', 'Teacher',
  'Southern California', 'Victoria (Australia)', 'Steam engine', '1973 oil crisis', 'European Union law',
  'Ctenophora', 'Packet switching', 'Geology', 'Victoria and Albert Museum', 'Genghis Khan',
  'Immune system', 'Construction', 'Harvard University', 'Economic inequality', 'University of Chicago',
  'Kenya', 'Chloroplast', 'Rhine', 'Islamism', 'United Methodist Church', 'Force (physics)',
];

/**
 * The evaluation subject a title is about, if any. A qualified subject such as "Sky (United Kingdom)"
 * matches only a title that is exactly its name ("Sky"), so that "Victoria Falls" is not taken for
 * "Victoria (Australia)"; the others match as whole words anywhere in the title.
 */
export function forbiddenSubjectOf(title) {
  const t = title.toLowerCase().trim();
  for (const subject of FORBIDDEN_SUBJECTS) {
    const qualified = /\(.*\)$/.test(subject);
    const bare = subject.replace(/\s*\(.*\)$/, '').toLowerCase();
    if (qualified ? t === bare : new RegExp(`(^|[^\\p{L}])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(t)) return subject;
  }
  return null;
}

function inRanges(cp, ranges) {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** Share of the letters of `text` that lie in the scripts expected for `lang`; letters counted. */
export function scriptShare(text, lang) {
  const ranges = SCRIPT_OF[lang].flatMap((s) => RANGES[s]);
  let letters = 0;
  let inside = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (inRanges(ch.codePointAt(0), ranges)) inside++;
  }
  return { letters, share: letters === 0 ? 1 : inside / letters };
}

function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{M}']+/u).filter(Boolean);
}

/** Counts of stopword hits per Latin-script language. */
export function stopwordHits(text) {
  const ws = words(text);
  const hits = {};
  for (const lang of Object.keys(STOPWORD_SETS)) {
    hits[lang] = ws.filter((w) => STOPWORD_SETS[lang].has(w)).length;
  }
  return { words: ws.length, hits };
}

export function normalise(text) {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

class Report {
  constructor() {
    this.errors = [];
    this.warnings = [];
  }
  error(where, msg) {
    this.errors.push(`${where}: ${msg}`);
  }
  warn(where, msg) {
    this.warnings.push(`${where}: ${msg}`);
  }
}

function readJson(file, report) {
  let raw;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    report.error(file, 'missing file');
    return null;
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    report.error(file, `not valid JSON (${e.message})`);
    return null;
  }
}

function isNonEmptyString(x) {
  return typeof x === 'string' && x.trim().length > 0;
}

/** Loads and structurally checks one part; returns { part, files: {lang: data} } or null. */
export function loadPart(dir, report) {
  const part = path.basename(dir);
  const files = {};
  for (const lang of LANGUAGES) {
    const file = path.join(dir, `${lang}.json`);
    const data = readJson(file, report);
    if (!data) continue;
    if (data.part !== part) report.error(file, `"part" is ${JSON.stringify(data.part)}, expected "${part}"`);
    if (data.lang !== lang) report.error(file, `"lang" is ${JSON.stringify(data.lang)}, expected "${lang}"`);
    if (!Array.isArray(data.passages)) {
      report.error(file, '"passages" must be an array');
      continue;
    }
    files[lang] = data;
  }
  for (const extra of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!LANGUAGES.includes(extra.replace(/\.json$/, ''))) report.error(path.join(dir, extra), 'unexpected file');
  }
  const en = files.en;
  if (!en) {
    report.error(dir, 'no valid en.json: nothing else can be checked');
    return null;
  }
  checkEnglish(dir, part, en, report);
  for (const lang of LANGUAGES) {
    if (lang === 'en' || !files[lang]) continue;
    checkAlignment(path.join(dir, `${lang}.json`), en, files[lang], report);
  }
  return { part, dir, files };
}

function checkEnglish(dir, part, en, report) {
  const file = path.join(dir, 'en.json');
  const seen = new Set();
  en.passages.forEach((p, i) => {
    const where = `${file} passage #${i} (${p?.id})`;
    if (typeof p?.id !== 'string' || !new RegExp(`^${part}-\\d{2,3}$`).test(p.id)) {
      report.error(where, `id must look like "${part}-01"`);
    }
    if (seen.has(p?.id)) report.error(where, 'duplicate passage id');
    seen.add(p?.id);
    if (!isNonEmptyString(p?.topic)) report.error(where, 'missing "topic"');
    if (!isNonEmptyString(p?.title)) report.error(where, 'missing "title"');
    const forbidden = typeof p?.title === 'string' ? forbiddenSubjectOf(p.title) : null;
    if (forbidden) report.error(where, `title "${p.title}" is about an evaluation subject (${forbidden})`);
    if (!Array.isArray(p?.sentences) || p.sentences.length < 3 || p.sentences.length > 6) {
      report.error(where, 'must have 3 to 6 sentences');
    }
    if (!Array.isArray(p?.questions) || p.questions.length !== 3) {
      report.error(where, 'must have exactly 3 questions');
      return;
    }
    const qids = new Set();
    p.questions.forEach((q, k) => {
      const expected = `${p.id}-q${k + 1}`;
      if (q?.id !== expected) report.error(where, `question #${k} id ${JSON.stringify(q?.id)}, expected "${expected}"`);
      if (qids.has(q?.id)) report.error(where, `duplicate question id ${q?.id}`);
      qids.add(q?.id);
      const n = Array.isArray(p.sentences) ? p.sentences.length : 0;
      if (!Number.isInteger(q?.answer) || q.answer < 0 || q.answer >= n) {
        report.error(where, `question ${q?.id}: answer index ${JSON.stringify(q?.answer)} out of range 0..${n - 1}`);
      }
    });
    const answers = new Set(p.questions.map((q) => q?.answer));
    if (answers.size === 1) report.warn(where, 'all three questions point at the same sentence');
  });
}

function checkAlignment(file, en, tr, report) {
  if (tr.passages.length !== en.passages.length) {
    report.error(file, `${tr.passages.length} passages, English has ${en.passages.length}`);
  }
  en.passages.forEach((ep, i) => {
    const tp = tr.passages[i];
    const where = `${file} passage #${i} (${ep.id})`;
    if (!tp) {
      report.error(where, 'missing');
      return;
    }
    if (tp.id !== ep.id) report.error(where, `id is ${JSON.stringify(tp.id)}, English has "${ep.id}" here`);
    if (tp.topic !== ep.topic) report.error(where, `topic must stay "${ep.topic}" (English) in every language`);
    if (!isNonEmptyString(tp.title)) report.error(where, 'missing "title"');
    if (!Array.isArray(tp.sentences) || tp.sentences.length !== ep.sentences?.length) {
      report.error(where, `has ${tp.sentences?.length} sentences, English has ${ep.sentences?.length}`);
    }
    if (!Array.isArray(tp.questions) || tp.questions.length !== ep.questions?.length) {
      report.error(where, `has ${tp.questions?.length} questions, English has ${ep.questions?.length}`);
      return;
    }
    tp.questions.forEach((q, k) => {
      const eq = ep.questions[k];
      if (q?.id !== eq?.id) report.error(where, `question #${k} id ${JSON.stringify(q?.id)}, English has "${eq?.id}"`);
      if (q?.answer !== eq?.answer) report.error(where, `question ${eq?.id}: answer ${q?.answer}, English has ${eq?.answer}`);
    });
  });
}

/** Every text item of a language: title, sentences, questions, with a stable key shared by languages. */
function* items(data) {
  for (const p of data.passages) {
    if (typeof p?.title === 'string') yield { key: `${p.id}/title`, kind: 'title', text: p.title };
    for (let i = 0; i < (p?.sentences?.length ?? 0); i++) {
      yield { key: `${p.id}/s${i}`, kind: 'sentence', text: p.sentences[i] };
    }
    for (const q of p?.questions ?? []) yield { key: q?.id, kind: 'question', text: q?.text };
  }
}

const PROBE_HEAD = 25; // the shortest probe kept

function findProbe(text, byHead) {
  for (let i = 0; i + PROBE_HEAD <= text.length; i++) {
    const candidates = byHead.get(text.slice(i, i + PROBE_HEAD));
    if (candidates && candidates.some((probe) => text.startsWith(probe, i))) return true;
  }
  return false;
}

function loadEvalProbes(evalDir) {
  // Normalised sentences and questions of the evaluation set, and their 60-character prefixes: any
  // corpus item that contains one is an overlap.
  const probes = new Set();
  if (!fs.existsSync(evalDir)) return null;
  for (const f of fs.readdirSync(evalDir)) {
    if (!f.endsWith('.json')) continue;
    const data = JSON.parse(fs.readFileSync(path.join(evalDir, f), 'utf8'));
    for (const article of data.data) {
      for (const para of article.paragraphs) {
        for (const [s, e] of para.sentence_breaks) {
          const t = normalise(para.context.slice(s, e));
          if (t.length >= 40) probes.add(t.slice(0, 60));
        }
        for (const qa of para.qas) {
          const t = normalise(qa.question);
          if (t.length >= 25) probes.add(t.slice(0, 60));
        }
      }
    }
  }
  return probes;
}

/** Text checks over loaded parts, with per-language figures. */
export function checkTexts(parts, report, { evalDir } = {}) {
  const figures = {};
  const byKey = new Map(); // key -> {lang: text}
  const seenText = Object.fromEntries(LANGUAGES.map((l) => [l, new Map()]));
  for (const lang of LANGUAGES) {
    figures[lang] = {
      passages: 0, sentences: 0, questions: 0, chars: 0, letters: 0, lettersInScript: 0,
      ratioSum: 0, ratioCount: 0, latinIdentified: 0, latinChecked: 0, diacriticItems: 0, diacriticChecked: 0,
    };
  }
  for (const { dir, files } of parts) {
    for (const lang of LANGUAGES) {
      const data = files[lang];
      if (!data) continue;
      const file = path.join(dir, `${lang}.json`);
      const fig = figures[lang];
      fig.passages += data.passages.length;
      for (const item of items(data)) {
        const where = `${file} ${item.key}`;
        if (!isNonEmptyString(item.text)) {
          report.error(where, `empty ${item.kind}`);
          continue;
        }
        const text = normalise(item.text);
        if (!byKey.has(item.key)) byKey.set(item.key, {});
        byKey.get(item.key)[lang] = text;
        if (item.kind === 'sentence') fig.sentences++;
        if (item.kind === 'question') fig.questions++;
        fig.chars += [...text].length;
        if (item.kind !== 'title') {
          const prev = seenText[lang].get(text);
          if (prev) report.error(where, `duplicate of ${prev}: "${text.slice(0, 60)}"`);
          else seenText[lang].set(text, item.key);
        }
        const { letters, share } = scriptShare(text, lang);
        fig.letters += letters;
        fig.lettersInScript += Math.round(share * letters);
        if (letters >= 4 && share < 0.5 && item.kind !== 'title') {
          report.error(where, `only ${(share * 100).toFixed(0)}% of letters in the ${lang} script: "${text.slice(0, 60)}"`);
        }
        if (lang === 'ja' && item.kind !== 'title' && !/[\u3040-\u309f]/.test(text)) {
          report.warn(where, 'Japanese text without any hiragana');
        }
        if (lang === 'zh' && /[\u3040-\u30ff]/.test(text)) report.error(where, 'Chinese text contains kana');
        if (item.kind === 'question') {
          const mark = QUESTION_MARKS[lang] ?? QUESTION_MARKS.default;
          if (!mark.test(text)) report.warn(where, `question does not end with a question mark: "${text.slice(-30)}"`);
        }
        if (LATIN_LANGUAGES.includes(lang) && item.kind !== 'title') {
          const { words: n, hits } = stopwordHits(text);
          if (n >= 5) {
            fig.latinChecked++;
            const best = Math.max(...Object.values(hits));
            if (hits[lang] > 0 && hits[lang] === best) fig.latinIdentified++;
            else if (lang !== 'en' && hits.en >= 3 && hits.en > hits[lang]) {
              report.error(where, `reads as English (${hits.en} English function words, ${hits[lang]} ${lang}): "${text.slice(0, 60)}"`);
            }
          }
          if (DIACRITICS[lang] && n >= 4) {
            fig.diacriticChecked++;
            if (DIACRITICS[lang].test(text)) fig.diacriticItems++;
          }
        } else if (lang !== 'en' && item.kind !== 'title') {
          const { hits } = stopwordHits(text);
          if (hits.en >= 3) report.error(where, `contains English: "${text.slice(0, 60)}"`);
        }
      }
    }
  }
  // Cross-language: identical translations and length ratios.
  for (const [key, texts] of byKey) {
    const en = texts.en;
    const isTitle = key.endsWith('/title');
    for (const lang of LANGUAGES) {
      if (lang === 'en' || texts[lang] === undefined || en === undefined) continue;
      const text = texts[lang];
      if (!isTitle) {
        for (const other of LANGUAGES) {
          if (other < lang && other !== 'en' && texts[other] === text) {
            report.error(`${key}`, `${lang} and ${other} have identical text: "${text.slice(0, 60)}"`);
          }
        }
        if (text === en) report.error(`${key}`, `${lang} is identical to English: "${text.slice(0, 60)}"`);
      }
      const enLen = [...en].length;
      if (isTitle || enLen < 20) continue;
      const ratio = [...text].length / enLen;
      const bounds = RATIO_BOUNDS[lang] ?? RATIO_BOUNDS.default;
      figures[lang].ratioSum += ratio;
      figures[lang].ratioCount++;
      if (ratio < bounds.hard[0] || ratio > bounds.hard[1]) {
        report.error(`${key} [${lang}]`, `length ratio to English ${ratio.toFixed(2)} outside ${bounds.hard.join('..')}: "${text.slice(0, 60)}"`);
      } else if (ratio < bounds.soft[0] || ratio > bounds.soft[1]) {
        report.warn(`${key} [${lang}]`, `length ratio to English ${ratio.toFixed(2)} is unusual`);
      }
    }
  }
  // Per-language aggregates.
  for (const lang of LANGUAGES) {
    const fig = figures[lang];
    const share = fig.letters ? fig.lettersInScript / fig.letters : 1;
    if (fig.letters && share < 0.9) report.error(lang, `only ${(share * 100).toFixed(1)}% of letters in the expected script (need 90%)`);
    if (fig.latinChecked >= 20) {
      const rate = fig.latinIdentified / fig.latinChecked;
      if (rate < 0.8) report.error(lang, `only ${(rate * 100).toFixed(0)}% of items identified as ${lang} by function words (need 80%)`);
    }
    if (DIACRITICS[lang] && fig.diacriticChecked >= 20) {
      const rate = fig.diacriticItems / fig.diacriticChecked;
      if (rate < DIACRITIC_MIN_SHARE[lang]) {
        report.error(lang, `only ${(rate * 100).toFixed(0)}% of items use ${lang}'s own letters (need ${DIACRITIC_MIN_SHARE[lang] * 100}%)`);
      }
    }
  }
  // Overlap with the evaluation set: any evaluation probe appearing anywhere inside a corpus item.
  let evalChecked = false;
  const probes = evalDir ? loadEvalProbes(evalDir) : null;
  if (probes) {
    evalChecked = true;
    const byHead = new Map();
    for (const probe of probes) {
      const head = probe.slice(0, PROBE_HEAD);
      if (!byHead.has(head)) byHead.set(head, []);
      byHead.get(head).push(probe);
    }
    for (const [key, texts] of byKey) {
      for (const [lang, text] of Object.entries(texts)) {
        if (findProbe(text, byHead)) report.error(`${key} [${lang}]`, 'overlaps the evaluation set (../shared/eval)');
      }
    }
  }
  return { figures, evalChecked };
}

export function formatFigures(figures) {
  const rows = [['lang', 'passages', 'sentences', 'questions', 'chars', 'script%', 'len/en', 'lang-id%', 'diacritic%']];
  for (const lang of LANGUAGES) {
    const f = figures[lang];
    rows.push([
      lang, String(f.passages), String(f.sentences), String(f.questions), String(f.chars),
      f.letters ? ((100 * f.lettersInScript) / f.letters).toFixed(1) : '-',
      f.ratioCount ? (f.ratioSum / f.ratioCount).toFixed(2) : '-',
      f.latinChecked ? ((100 * f.latinIdentified) / f.latinChecked).toFixed(0) : '-',
      f.diacriticChecked ? ((100 * f.diacriticItems) / f.diacriticChecked).toFixed(0) : '-',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => x.padStart(widths[c])).join('  ')).join('\n');
}

export function listParts(partsDir) {
  if (!fs.existsSync(partsDir)) return [];
  return fs
    .readdirSync(partsDir)
    .filter((d) => fs.statSync(path.join(partsDir, d)).isDirectory())
    .sort()
    .map((d) => path.join(partsDir, d));
}

export function checkCorpus({ partDirs, evalDir }) {
  const report = new Report();
  const parts = partDirs.map((d) => loadPart(d, report)).filter(Boolean);
  const titles = new Map();
  for (const { files } of parts) {
    for (const p of files.en.passages) {
      const key = String(p?.title ?? '').toLowerCase().trim();
      if (titles.has(key)) report.error(`${p.id}`, `same subject as ${titles.get(key)}: "${p.title}"`);
      else titles.set(key, p.id);
    }
  }
  const { figures, evalChecked } = checkTexts(parts, report, { evalDir });
  return { report, figures, evalChecked, parts };
}

/** Every passage must have its split recorded in data/corpus/split.json (assigned once, by data:build). */
function checkSplit(parts, report) {
  const file = path.join(repoRoot, 'data/corpus/split.json');
  const split = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).passages : {};
  const counts = { train: 0, dev: 0, test: 0 };
  for (const { files } of parts) {
    for (const p of files.en.passages) {
      const s = split[p.id];
      if (!(s in counts)) report.error(p.id, 'no split recorded in data/corpus/split.json (run npm run data:build and commit it)');
      else counts[s]++;
    }
  }
  const total = counts.train + counts.dev + counts.test;
  if (total) console.log(`split: train ${counts.train} (${((100 * counts.train) / total).toFixed(1)}%), dev ${counts.dev}, test ${counts.test}`);
}

function main(argv) {
  const args = { part: null, json: false, quiet: false, maxShown: 40 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--part') args.part = argv[++i];
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--all-messages') args.maxShown = Infinity;
    else if (argv[i] === '--help') {
      console.log('usage: node scripts/check-corpus.mjs [--part DIR] [--json] [--all-messages]');
      return 0;
    } else {
      console.error(`unknown argument ${argv[i]}`);
      return 2;
    }
  }
  const partDirs = args.part ? [path.resolve(args.part)] : listParts(path.join(repoRoot, 'data/corpus/parts'));
  if (partDirs.length === 0) {
    console.error('no corpus parts found under data/corpus/parts');
    return 1;
  }
  const evalDir = path.resolve(repoRoot, '../shared/eval/xquad-r-dev');
  const { report, figures, evalChecked, parts } = checkCorpus({ partDirs, evalDir });
  if (!args.part) checkSplit(parts, report);
  console.log(`corpus check: ${partDirs.length} part(s)`);
  console.log(formatFigures(figures));
  console.log(evalChecked ? 'overlap with ../shared/eval/xquad-r-dev: checked' : 'overlap with ../shared/eval: not checked (folder absent)');
  const show = (label, list) => {
    if (!list.length) return;
    console.log(`\n${list.length} ${label}:`);
    for (const m of list.slice(0, args.maxShown)) console.log(`  ${m}`);
    if (list.length > args.maxShown) console.log(`  ... and ${list.length - args.maxShown} more (--all-messages shows all)`);
  };
  show('warning(s)', report.warnings);
  show('error(s)', report.errors);
  if (args.json) console.log(JSON.stringify({ figures, errors: report.errors.length, warnings: report.warnings.length }));
  console.log(report.errors.length ? `\nFAILED: ${report.errors.length} error(s)` : '\nOK: no errors');
  return report.errors.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
