// The messages feature's public face: what other features may use.
export { familyReach } from './family-reach-queries.ts';
export { notReachedCount } from './not-reached-queries.ts';
// The write → check-by-a-second-person flow for content a school writes (used by agreements).
export {
  languageFromUrl,
  paragraphs,
  STATUS_LABELS as TRANSLATION_STATUS_LABELS,
  STATUS_TAGS as TRANSLATION_STATUS_TAGS,
  statusOf as translationStatusOf,
  textDirection,
  TranslationForm,
  whyNotCheck,
} from './translation.ts';
export type { TranslationStatus } from './translation.ts';
