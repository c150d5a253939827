/**
 * The bundled default model, a folder under models/ (served at /models/<name>/ by the app): the
 * project's own base encoder, pretrained on translations only (npm run pretrain; models/README.md).
 */
export const DEFAULT_MODEL = 'polyglot-base';
