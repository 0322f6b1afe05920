// The messages feature's public face: what other features may use.
export { familyReach } from './family-reach-queries.ts';
export { notReachedCount } from './not-reached-queries.ts';
