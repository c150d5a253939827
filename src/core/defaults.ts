/**
 * The bundled default model, a folder under models/ (served at /models/<name>/ by the app). Until the
 * project's trained encoder exists this is a randomly initialised encoder with a project-built
 * tokenizer: its rankings follow shared subwords, not meaning.
 */
export const DEFAULT_MODEL = 'random-init-mini';
