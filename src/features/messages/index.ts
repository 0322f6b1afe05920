// The messages feature's public face: what other features may use.
export { familyReach } from './family-reach-queries.ts';
export { notReachedCount } from './not-reached-queries.ts';
// Audiences and recipients, for features that reach families as messages do (consultations, surveys).
export { Audience, describeAudience } from './audience.ts';
export { recipientsFor } from './recipient-queries.ts';
export type { Recipient } from './recipients.ts';
