import type { Relationship } from '../../db/schema.ts';
import type { HearLink, HearPurpose, NotHearReason, RestrictionInForce } from './hear.ts';

/**
 * The cases the rule is tested on (hear.test.ts, hear-db.test.ts), and what each should answer,
 * written out as the school would say it rather than worked out from the rule's own table.
 */
export const LINK_CASES = {
  'mother with parental responsibility, lives with the child': { relationship: 'mother', parentalResponsibility: true, livesWith: true, mayReceiveInformation: true, wantsCopies: false },
  'father with parental responsibility, lives apart, asked for copies': { relationship: 'father', parentalResponsibility: true, livesWith: false, mayReceiveInformation: true, wantsCopies: true },
  'father with parental responsibility, lives apart, no copies': { relationship: 'father', parentalResponsibility: true, livesWith: false, mayReceiveInformation: true, wantsCopies: false },
  'grandparent raising the child (lives with, no parental responsibility)': {
    relationship: 'grandparent',
    parentalResponsibility: false,
    livesWith: true,
    mayReceiveInformation: true,
    wantsCopies: false,
  },
  'foster carer (lives with, no parental responsibility)': { relationship: 'foster_carer', parentalResponsibility: false, livesWith: true, mayReceiveInformation: true, wantsCopies: false },
  'contact only: family friend, emergency contact': { relationship: 'family_friend', parentalResponsibility: false, livesWith: false, mayReceiveInformation: false, wantsCopies: false },
  'parent recorded as "may not receive information"': { relationship: 'mother', parentalResponsibility: true, livesWith: true, mayReceiveInformation: false, wantsCopies: false },
} satisfies Record<string, HearLink & { relationship: Relationship }>;
export type LinkCase = keyof typeof LINK_CASES;

export const RESTRICTION_CASES = {
  none: [],
  'stops information': [{ information: true, contact: false, collection: false }],
  'stops contact only': [{ information: false, contact: true, collection: false }],
  'stops collection only': [{ information: false, contact: false, collection: true }],
  'stops everything': [{ information: true, contact: true, collection: true }],
} satisfies Record<string, RestrictionInForce[]>;
export type RestrictionCase = keyof typeof RESTRICTION_CASES;

const EVERY_LINK_THAT_MAY_RECEIVE: LinkCase[] = [
  'mother with parental responsibility, lives with the child',
  'father with parental responsibility, lives apart, asked for copies',
  'father with parental responsibility, lives apart, no copies',
  'grandparent raising the child (lives with, no parental responsibility)',
  'foster carer (lives with, no parental responsibility)',
];
const HOUSEHOLD: LinkCase[] = EVERY_LINK_THAT_MAY_RECEIVE.filter((l) => l !== 'father with parental responsibility, lives apart, no copies');

/** For each purpose: who hears when no restriction is in force, and which restrictions stop it. */
export const EXPECTED: Record<HearPurpose, { hears: LinkCase[]; stoppedBy: RestrictionCase[] }> = {
  portal: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  newsletter: { hears: HOUSEHOLD, stoppedBy: ['stops information', 'stops everything'] },
  letter: { hears: HOUSEHOLD, stoppedBy: ['stops information', 'stops everything'] },
  urgent: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  praise: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  booking: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops contact only', 'stops collection only', 'stops everything'] },
  meeting_invitation: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops contact only', 'stops everything'] },
  meeting_agenda: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops contact only', 'stops everything'] },
  meeting_summary: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops contact only', 'stops everything'] },
  survey: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  complaint: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  profile: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
  individual: { hears: EVERY_LINK_THAT_MAY_RECEIVE, stoppedBy: ['stops information', 'stops everything'] },
};

/** The answer expected: 'hears', or the reason they do not. */
export function expectedAnswer(purpose: HearPurpose, link: LinkCase, restriction: RestrictionCase): 'hears' | NotHearReason {
  const e = EXPECTED[purpose];
  if (e.stoppedBy.includes(restriction)) return 'restriction';
  if (!LINK_CASES[link].mayReceiveInformation) return 'no_information';
  return e.hears.includes(link) ? 'hears' : 'lives_apart';
}
