// Types for check-corpus.mjs (plain JavaScript, so that it runs before anything is installed).
export const LANGUAGES: string[];
export const FORBIDDEN_SUBJECTS: string[];
export function forbiddenSubjectOf(title: string): string | null;
export function scriptShare(text: string, lang: string): { letters: number; share: number };
export function listParts(partsDir: string): string[];
export interface CorpusReport {
  errors: string[];
  warnings: string[];
}
export function checkCorpus(options: { partDirs: string[]; evalDir?: string }): {
  report: CorpusReport;
  figures: Record<string, Record<string, number>>;
  evalChecked: boolean;
  parts: { part: string; dir: string; files: Record<string, unknown> }[];
};
