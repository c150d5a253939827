/** A language's name in English, for badges and menus. */
export const LANGUAGE_NAMES: Record<string, string> = {
  ar: 'Arabic', bn: 'Bengali', de: 'German', el: 'Greek', en: 'English', es: 'Spanish', fr: 'French',
  hi: 'Hindi', ja: 'Japanese', ru: 'Russian', sw: 'Swahili', th: 'Thai', tr: 'Turkish', vi: 'Vietnamese', zh: 'Chinese',
  und: 'undetermined',
};
