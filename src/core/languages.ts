/** The 15 languages of the bundled corpus (zh is Simplified Chinese). */
export const LANGUAGES = ['ar', 'bn', 'de', 'el', 'en', 'es', 'fr', 'hi', 'ja', 'ru', 'sw', 'th', 'tr', 'vi', 'zh'];
