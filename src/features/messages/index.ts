// The messages feature's public face: what other features may use.
export { familyReach } from './family-reach-queries.ts';
export { notReachedCount } from './not-reached-queries.ts';
// Who a letter goes to, for features that reach families as messages do (consultations, surveys, agreements).
export { Audience, audienceFromForm, describeAudience, type AudienceWords } from './audience.ts';
export { recipientsFor, audiencePupils } from './recipient-queries.ts';
export { childFactsOf } from './queries.ts';
export { channelCounts, LEFT_OUT_WORDS, type Recipient, type LeftOut, type Channel } from './recipients.ts';
export { groupsOf } from './queries.ts';
export { carersWhoReadNothing } from './read-nothing-queries.ts';
// How send.ts writes a copy that went on paper only, or an urgent notice by text only: nobody can be seen to read those.
export { PAPER_ONLY_CHANNELS, TEXT_ONLY_CHANNELS } from './family-reach.ts';
// The write → check-by-a-second-person flow for what a school writes (surveys, agreements).
export { checkProblem, languageFromUrl, paragraphs, statusOf, STATUS_LABELS, STATUS_TAGS, textDirection, TranslationForm, type TranslationStatus } from './translation.ts';
/** For features/volunteering: the translation requests asked of a carer, for their volunteering page. */
export { translationRequestsOfVolunteer, RECENT_REQUEST_DAYS, type VolunteerRequestItem, type VolunteerListState } from './volunteer-translation-list.ts';
// Sending a message the caller has written (attendance: each family their own child's figure), as every send does.
export { sendMessage, type SendContext } from './send.ts';
// Retention (features/retention): sent messages to many families past their date, counted and erased.
export { eraseWholeSchoolMessages, wholeSchoolMessagesDue, WHOLE_SCHOOL_KINDS } from './erase.ts';
