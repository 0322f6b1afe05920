import { DateTime } from 'luxon';
import type { LocalDate, StaffRole } from '../../db/schema.ts';

/**
 * The school's retention schedule, written once: for each kind of record Gatepost holds, how long it
 * is kept, the date the period counts from, and what happens at the end. Periods follow the IRMS
 * Information Management Toolkit for Schools and statute where they apply; `check` says where the
 * toolkit does not name Gatepost's record exactly and the data protection lead should confirm the
 * period against the school's own schedule (docs/retention.md says where each one came from).
 *
 * Safeguarding and child protection records are never erased by Gatepost: the DSL reviews them.
 */

/** Who may see the schedule and erase: the head, senior leaders and the office (the data protection lead's team). */
export const RETENTION_KEEPERS: StaffRole[] = ['head', 'senior_leader', 'office'];

export type KindKey =
  | 'complaints'
  | 'concerns'
  | 'whole_school_messages'
  | 'messages_about_a_child'
  | 'evening_bookings'
  | 'meetings'
  | 'surveys'
  | 'consultations'
  | 'agreement_signatures'
  | 'volunteer_checks'
  | 'subject_access'
  | 'attendance_figures'
  | 'conduct'
  | 'safeguarding_reports'
  | 'pupil_profiles';

/**
 * Where the period starts. `date`: the day itself (closed, sent, held). `end_of_school_year`: the
 * 31 August ending the school year the day falls in (the toolkit's "current year + N").
 * `date_of_birth`: the pupil's birthday (the toolkit's "date of birth of the pupil + N").
 */
export type CountsFrom = 'date' | 'end_of_school_year' | 'date_of_birth';

export type Action = { do: 'erase' } | { do: 'review'; by: StaffRole };

export interface RecordKind {
  key: KindKey;
  /** The kind of record, in the school's words. */
  name: string;
  /** What Gatepost holds of it. */
  holds: string;
  years: number;
  countsFrom: CountsFrom;
  /** The date the period counts from, in words ("the day the complaint was closed"). */
  from: string;
  action: Action;
  source: string;
  /** Where the toolkit does not name this record exactly: what the data protection lead should check. */
  check?: string;
}

export const SCHEDULE: readonly RecordKind[] = [
  {
    key: 'complaints',
    name: 'Complaint files',
    holds: 'The complaint, its concern and words, case people, timeline, letters, panel papers, serial or vexatious closure, and the emails about it',
    years: 6,
    countsFrom: 'date',
    from: 'the day the complaint was closed (or answered at stage 1, when never taken to the panel)',
    action: { do: 'erase' },
    source: 'IRMS toolkit, governors: complaints files, date of resolution + 6 years (Limitation Act 1980)',
    check:
      'The toolkit asks for a review before destruction in case of a contentious dispute: the confirmation page is that review. Complaints with words marked as safeguarding are kept for the DSL.',
  },
  {
    key: 'concerns',
    name: 'Concerns not made into a complaint',
    holds: 'A carer’s concern and everything typed in it',
    years: 6,
    countsFrom: 'date',
    from: 'the day the concern was closed',
    action: { do: 'review', by: 'head' },
    source: 'Treated as complaints files (IRMS toolkit, governors: complaints files)',
    check: 'The toolkit has no row for informal concerns.',
  },
  {
    key: 'whole_school_messages',
    name: 'Newsletters, class newsletters, letters and urgent messages to families',
    holds: 'The message, its translations, who it went to and when they read it, and its emails and texts',
    years: 1,
    countsFrom: 'end_of_school_year',
    from: 'the end of the school year it was sent in',
    action: { do: 'erase' },
    source: 'IRMS toolkit, school management: general correspondence and circulars, current year + 1 year',
    check: 'Some schools keep newsletters longer as a record of the school’s history: the school’s own schedule decides.',
  },
  {
    key: 'messages_about_a_child',
    name: 'Messages about one child (praise, individual messages)',
    holds: 'The message and who it went to',
    years: 1,
    countsFrom: 'end_of_school_year',
    from: 'the end of the school year it was sent in',
    action: { do: 'review', by: 'head' },
    source: 'IRMS toolkit, general correspondence, current year + 1 year',
    check: 'A message about a child may belong on the pupil’s file, which is kept longer.',
  },
  {
    key: 'evening_bookings',
    name: 'Parents’ evening bookings',
    holds: 'Who booked which appointment, for which child',
    years: 1,
    countsFrom: 'end_of_school_year',
    from: 'the end of the school year of the appointment',
    action: { do: 'review', by: 'office' },
    source: 'IRMS toolkit, general administration, current year + 1 year',
    check: 'The toolkit has no row for appointment bookings.',
  },
  {
    key: 'meetings',
    name: 'Meetings with families, their notes and actions',
    holds: 'The meeting, agenda, notes, actions and safety plan',
    years: 6,
    countsFrom: 'date',
    from: 'the day of the meeting',
    action: { do: 'review', by: 'head' },
    source: 'Check: no toolkit row; 6 years follows the Limitation Act 1980',
    check: 'Notes about a child’s support or safety belong with the pupil’s file or the child protection file.',
  },
  {
    key: 'surveys',
    name: 'Surveys of parents and carers',
    holds: 'The survey, its invitations and answers',
    years: 1,
    countsFrom: 'end_of_school_year',
    from: 'the end of the school year the survey closed in',
    action: { do: 'review', by: 'head' },
    source: 'Check: no toolkit row; current year + 1 year as general administration',
    check: 'Results used as evidence for inspection may be kept in summary.',
  },
  {
    key: 'consultations',
    name: 'Policy consultations',
    holds: 'The consultation and the comments made on it',
    years: 3,
    countsFrom: 'date',
    from: 'the day the consultation closed',
    action: { do: 'review', by: 'head' },
    source: 'Check: IRMS toolkit, governors: policy documents, life of the policy + 3 years',
  },
  {
    key: 'agreement_signatures',
    name: 'Home-school agreement signatures',
    holds: 'Who signed which version of the agreement, and when',
    years: 5,
    countsFrom: 'date',
    from: 'the day it was signed',
    action: { do: 'review', by: 'office' },
    source: 'Check: IRMS toolkit, home school agreements, date of expiry + 5 years',
    check: 'The toolkit counts from when the agreement ends; Gatepost counts from the signature.',
  },
  {
    key: 'volunteer_checks',
    name: 'Volunteers’ checks and risk assessments',
    holds: 'The DBS certificate number, barred list check, risk assessment and approval',
    years: 6,
    countsFrom: 'date',
    from: 'the day the offer ended (declined or withdrawn)',
    action: { do: 'review', by: 'head' },
    source: 'Check: IRMS toolkit, volunteers’ records, end of involvement + 6 years; DBS code of practice (keep the certificate number, not the certificate)',
  },
  {
    key: 'subject_access',
    name: 'Subject access and education record requests',
    holds: 'The request, who made it and the answer',
    years: 1,
    countsFrom: 'date',
    from: 'the day the request was closed',
    action: { do: 'review', by: 'office' },
    source: 'Check: IRMS toolkit, subject access requests, date of last action + 1 year (+ 6 years if the answer is disputed)',
  },
  {
    key: 'attendance_figures',
    name: 'Attendance figures',
    holds: 'Each pupil’s sessions and absences as imported',
    years: 6,
    countsFrom: 'date',
    from: 'the date the figures are as of',
    action: { do: 'review', by: 'office' },
    source: 'School Attendance (Pupil Registration) (England) Regulations 2024: every register entry kept for at least 6 years (3 under the 2006 regulations they replaced)',
    check: 'Gatepost holds copies of the register figures, not the register: the school’s own register keeps its own period.',
  },
  {
    key: 'conduct',
    name: 'Conduct of a parent or carer towards staff',
    holds: 'Incidents recorded and arrangements made',
    years: 6,
    countsFrom: 'date',
    from: 'the day of the incident',
    action: { do: 'review', by: 'head' },
    source: 'Check: no toolkit row; 6 years follows the Limitation Act 1980',
  },
  {
    key: 'safeguarding_reports',
    name: 'Safeguarding reports to the DSL',
    holds: 'What was seen or heard, and the words passed on',
    years: 25,
    countsFrom: 'date_of_birth',
    from: 'the pupil’s date of birth',
    action: { do: 'review', by: 'dsl' },
    source: 'IRMS toolkit, child protection files: date of birth + 25 years, then review; Keeping children safe in education',
    check: 'Never erased by Gatepost. Reports not about a known pupil are not counted here.',
  },
  {
    key: 'pupil_profiles',
    name: 'Pupil profiles and SEND notes',
    holds: 'Pen portraits, the family’s words, reviews and staff notes',
    years: 31,
    countsFrom: 'date_of_birth',
    from: 'the pupil’s date of birth',
    action: { do: 'review', by: 'senco' },
    source: 'IRMS toolkit, SEN files, reviews and EHC plans: date of birth + 31 years',
  },
];

export function kindOf(key: string): RecordKind | undefined {
  return SCHEDULE.find((k) => k.key === key);
}

/** The kinds Gatepost erases itself (the rest are for the named role to review). */
export const ERASABLE: readonly KindKey[] = SCHEDULE.filter((k) => k.action.do === 'erase').map((k) => k.key);

function day(date: LocalDate): DateTime {
  return DateTime.fromISO(date, { zone: 'UTC' });
}
function iso(d: DateTime): LocalDate {
  return d.toISODate()!;
}

/** The 31 August that ends the school year a date falls in (a school year runs 1 September to 31 August). */
export function endOfSchoolYear(date: LocalDate): LocalDate {
  const d = day(date);
  const year = d.month >= 9 ? d.year + 1 : d.year;
  return `${year}-08-31`;
}

/** The last day a record is kept: its start date (or the school year's end) plus the period. 29 February + 1 year is 28 February. */
export function periodEnds(kind: Pick<RecordKind, 'years' | 'countsFrom'>, from: LocalDate): LocalDate {
  const start = kind.countsFrom === 'end_of_school_year' ? endOfSchoolYear(from) : from;
  return iso(day(start).plus({ years: kind.years }));
}

/** A record is past its date when its period ended before today. */
export function isPastItsDate(kind: Pick<RecordKind, 'years' | 'countsFrom'>, from: LocalDate, today: LocalDate): boolean {
  return periodEnds(kind, from) < today;
}

/**
 * The cut-off for today: a record is past its date exactly when its start date is before this day.
 * It is the first day whose period has not yet ended, found by walking forward from a little too
 * early (a period's end never goes back as its start moves on): by days from a start date, or by
 * 1 Septembers when the period counts from the end of the school year (every day of a school year
 * ends together, so the cut-off is the first day of one).
 */
export function cutOff(kind: Pick<RecordKind, 'years' | 'countsFrom'>, today: LocalDate): LocalDate {
  if (kind.countsFrom === 'end_of_school_year') {
    let year = day(today).year - kind.years - 2;
    while (isPastItsDate(kind, `${year}-09-01`, today)) year += 1;
    return `${year}-09-01`;
  }
  let d = day(today).minus({ years: kind.years, days: 3 });
  while (isPastItsDate(kind, iso(d), today)) d = d.plus({ days: 1 });
  return iso(d);
}

/**
 * The cut-off to erase with: the server's for now, or the one the person was shown if that is
 * earlier (a confirmation page left open past midnight never erases more than it said).
 */
export function eraseCutOff(server: LocalDate, shown: LocalDate | null): LocalDate {
  return shown !== null && shown < server ? shown : server;
}

export function actionWords(action: Action): string {
  if (action.do === 'erase') return 'Erase';
  return `Review by the ${ROLE_WORDS[action.by]}`;
}

const ROLE_WORDS: Record<StaffRole, string> = {
  head: 'head',
  senior_leader: 'senior leaders',
  teacher: 'teacher',
  office: 'office',
  dsl: 'designated safeguarding lead (DSL) only',
  deputy_dsl: 'deputy DSL',
  senco: 'SENCO',
  family_liaison: 'family liaison officer',
  governor: 'governors',
};
