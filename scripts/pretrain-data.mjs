// Extra parallel text for pretraining the default encoder, rebuilt from the npm registry: the Unicode
// CLDR's localized data (Unicode License v3, https://www.unicode.org/license.txt), packaged as
// cldr-*-full. Each group is one item named in every one of the corpus's 15 languages: emoji names,
// language / territory / script names, months and weekdays, date fields and relative days, and unit
// names with a number. Short phrases, but they pin words to each other across scripts.
//
//   node scripts/pretrain-data.mjs [--out build/pretrain/cldr.json]
// Packages are fetched once with `npm pack` into build/cache/cldr (the registry is the only source).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
import { LANGUAGES } from './check-corpus.mjs';
export const CLDR_VERSION = '48.2.0';
const PACKAGES = ['cldr-annotations-full', 'cldr-localenames-full', 'cldr-units-full', 'cldr-dates-full'];

function argument(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function unpack(cache) {
  const dir = path.join(cache, 'x');
  for (const pkg of PACKAGES) {
    const tgz = path.join(cache, `${pkg}-${CLDR_VERSION}.tgz`);
    if (!fs.existsSync(tgz)) execFileSync('npm', ['pack', `${pkg}@${CLDR_VERSION}`, '--silent', '--pack-destination', cache], { stdio: ['ignore', 'ignore', 'inherit'] });
    const stamp = path.join(dir, `${pkg}.done`);
    if (fs.existsSync(stamp)) continue;
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['xzf', tgz, '-C', dir, '--wildcards', ...LANGUAGES.map((l) => `*/${l}/*`)]);
    fs.writeFileSync(stamp, '');
  }
  return path.join(dir, 'package');
}

const read = (base, ...parts) => JSON.parse(fs.readFileSync(path.join(base, ...parts), 'utf8'));

/** Collects, per item id, its text in each language; keeps items present in all languages. */
class Groups {
  byId = new Map();
  add(id, lang, text) {
    if (typeof text !== 'string') return;
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean || /[{}]/.test(clean)) return;
    let g = this.byId.get(id);
    if (!g) this.byId.set(id, (g = {}));
    g[lang] = clean;
  }
  complete() {
    const out = [];
    for (const [id, texts] of this.byId) {
      if (LANGUAGES.every((l) => texts[l])) out.push({ id, texts: Object.fromEntries(LANGUAGES.map((l) => [l, texts[l]])) });
    }
    return out;
  }
}

function collect(base) {
  const g = new Groups();
  for (const lang of LANGUAGES) {
    const ann = read(base, 'annotations', lang, 'annotations.json').annotations.annotations;
    for (const [emoji, a] of Object.entries(ann)) g.add(`emoji:${emoji}`, lang, a.tts?.[0]);
    const names = read(base, 'main', lang, 'languages.json').main[lang].localeDisplayNames.languages;
    for (const [code, name] of Object.entries(names)) if (!code.includes('-alt-')) g.add(`language:${code}`, lang, name);
    const territories = read(base, 'main', lang, 'territories.json').main[lang].localeDisplayNames.territories;
    for (const [code, name] of Object.entries(territories)) if (!code.includes('-alt-')) g.add(`territory:${code}`, lang, name);
    const scripts = read(base, 'main', lang, 'scripts.json').main[lang].localeDisplayNames.scripts;
    for (const [code, name] of Object.entries(scripts)) if (!code.includes('-alt-')) g.add(`script:${code}`, lang, name);
    const greg = read(base, 'main', lang, 'ca-gregorian.json').main[lang].dates.calendars.gregorian;
    for (const [n, name] of Object.entries(greg.months['stand-alone'].wide)) g.add(`month:${n}`, lang, name);
    for (const [d, name] of Object.entries(greg.days['stand-alone'].wide)) g.add(`day:${d}`, lang, name);
    const fields = read(base, 'main', lang, 'dateFields.json').main[lang].dates.fields;
    for (const [field, f] of Object.entries(fields)) {
      if (field.includes('-')) continue;
      g.add(`field:${field}`, lang, f.displayName);
      for (const rel of ['-1', '0', '1']) g.add(`field:${field}:${rel}`, lang, f[`relative-type-${rel}`]);
    }
    const units = read(base, 'main', lang, 'units.json').main[lang].units.long;
    for (const [unit, u] of Object.entries(units)) {
      if (typeof u !== 'object' || !u.displayName) continue;
      g.add(`unit:${unit}`, lang, u.displayName);
      const pattern = u['unitPattern-count-other'];
      if (typeof pattern === 'string') g.add(`unit:${unit}:12`, lang, pattern.replace('{0}', '12'));
    }
  }
  return g.complete();
}

// Run as a script, not when another script imports CLDR_VERSION.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(root, argument('out', 'build/pretrain/cldr.json'));
  const cache = path.join(root, 'build/cache/cldr');
  fs.mkdirSync(cache, { recursive: true });
  const groups = collect(unpack(cache));
  const bySource = {};
  for (const g of groups) bySource[g.id.split(':')[0]] = (bySource[g.id.split(':')[0]] ?? 0) + 1;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ source: `Unicode CLDR ${CLDR_VERSION} (npm cldr-*-full), Unicode License v3`, groups })}\n`);
  console.error(`cldr: ${groups.length} items in all ${LANGUAGES.length} languages ${JSON.stringify(bySource)} -> ${path.relative(root, out)}`);
}
