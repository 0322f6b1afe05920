// The messages feature's public face: what other features may use.
export { familyReach } from './family-reach-queries.ts';
export { notReachedCount } from './not-reached-queries.ts';
// Surveys reuse who a letter goes to, the translation flow and reach (features/surveys).
export { Audience, describeAudience } from './audience.ts';
export { recipientsFor, audiencePupils } from './recipient-queries.ts';
export { channelCounts, LEFT_OUT_WORDS, type Recipient, type LeftOut, type Channel } from './recipients.ts';
export { groupsOf } from './queries.ts';
export { checkProblem, languageFromUrl, paragraphs, statusOf, STATUS_LABELS, STATUS_TAGS, textDirection, type TranslationStatus } from './translation.ts';
export { carersWhoReadNothing } from './read-nothing-queries.ts';
