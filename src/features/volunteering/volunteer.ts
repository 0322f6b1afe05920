import { z } from 'zod';
import type { Flag, LocalDate, OpportunityKind, VolunteerStatus } from '../../db/schema.ts';
import { dateField, isEmptyDate, readDateField } from '../../platform/calendar/typed.ts';
import { withDateParts } from '../../platform/web/forms.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';

/**
 * Volunteering, as plain rules: the checks a role needs before a carer may volunteer, approval with
 * a review date, and who may be put on an activity.
 *
 * - A role that needs a DBS check (regulated activity when unsupervised): an unsupervised volunteer
 *   needs an enhanced DBS check with the barred list (certificate number and date).
 * - A supervised volunteer is not in regulated activity: the school writes a risk assessment instead,
 *   and a barred-list check is not allowed for them (the law does not let a school ask for one).
 * - Approval always has a review date; a volunteer is put on an activity only while approved and not
 *   past that date.
 * - A translating volunteer ("Translating for the school") is approved for one or more of the
 *   school's languages: the ones they translate the school's messages into.
 */
export const OPPORTUNITY_KIND_LABELS: Record<OpportunityKind, string> = {
  reading_partner: 'Reading partner',
  trip_helper: 'Trip helper',
  pta: 'PTA',
  governor: 'Governor',
  translating: 'Translating for the school',
  other: 'Other',
};
export const STATUS_LABELS: Record<VolunteerStatus, string> = { offered: 'Offered, checks to do', approved: 'Approved', declined: 'Not taken up', withdrawn: 'Withdrawn' };
/** A review this close (days) is shown as due. */
export const REVIEW_SOON_DAYS = 30;

export const OpportunityForm = z.object({
  kind: z.enum(Object.keys(OPPORTUNITY_KIND_LABELS) as [OpportunityKind, ...OpportunityKind[]], { error: 'Select the kind of role' }),
  title: z.string({ error: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'The title must be 150 characters or fewer'),
  description: z.string().trim().max(2000, 'The description must be 2,000 characters or fewer').default(''),
  needs_dbs: z.enum(['yes', 'no'], { error: 'Say whether the role needs a DBS check when unsupervised' }),
});

export type ApprovalInput = {
  supervised: Flag;
  dbsCertificate: string | null;
  dbsCheckedOn: LocalDate | null;
  barredListChecked: Flag;
  riskAssessment: string | null;
  riskAssessedOn: LocalDate | null;
  reviewOn: LocalDate;
  /** The languages a translating volunteer translates into; empty for every other role. */
  languages?: string[];
};

/** The languages the school's messages can be translated into (not English): the school's language list. */
export const TRANSLATION_LANGUAGES: readonly string[] = Object.keys(LANGUAGE_CODES).filter((l) => l !== 'English');

const addDays = (date: LocalDate, days: number): LocalDate => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The checks and approval typed on the form, against the role's needs: what is wrong, beside each field. */
export function readApproval(
  body: Record<string, unknown>,
  role: { needs_dbs: Flag; kind?: OpportunityKind },
  today: LocalDate,
): { ok: true; approval: ApprovalInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const str = (k: string) => String(body[k] ?? '').trim();
  // Dates come in GOV.UK's three boxes (`review_on-day`…) or as one text: read by the shared reader.
  const dates = withDateParts(body);
  const date = (k: string, missing: string, required: boolean): LocalDate | null => {
    if (isEmptyDate(dates[k])) {
      if (required) errors[k] = missing;
      return null;
    }
    const d = readDateField(dates[k], missing.replace(/^Enter /, ''));
    if (!d.ok) {
      errors[k] = d.problem;
      return null;
    }
    return d.date;
  };
  const supervisedText = str('supervised');
  if (supervisedText !== 'yes' && supervisedText !== 'no') errors.supervised = 'Say whether they will be supervised';
  const supervised = supervisedText === 'yes';
  const barred = str('barred_list_checked') ? 1 : 0;
  let dbsCertificate: string | null = null;
  let dbsCheckedOn: LocalDate | null = null;
  let riskAssessment: string | null = null;
  let riskAssessedOn: LocalDate | null = null;
  if (supervisedText === 'yes') {
    if (barred) errors.barred_list_checked = 'A barred-list check is not allowed for a supervised volunteer: untick it';
    riskAssessment = str('risk_assessment') || null;
    if (!riskAssessment) errors.risk_assessment = 'Write the risk assessment for a supervised volunteer';
    else if (riskAssessment.length > 5000) errors.risk_assessment = 'The risk assessment must be 5,000 characters or fewer';
    riskAssessedOn = date('risk_assessed_on', 'Enter the date of the risk assessment', true);
    if (riskAssessedOn && riskAssessedOn > today) errors.risk_assessed_on = 'The risk assessment date cannot be in the future';
  } else if (supervisedText === 'no' && role.needs_dbs === 1) {
    const certificate = str('dbs_certificate').replace(/\s+/g, '');
    if (!certificate) errors.dbs_certificate = 'Enter the enhanced DBS certificate number';
    else if (!/^\d{12}$/.test(certificate)) errors.dbs_certificate = 'A DBS certificate number is 12 digits, like 001234567890';
    else dbsCertificate = certificate;
    dbsCheckedOn = date('dbs_checked_on', 'Enter the date of the DBS certificate', true);
    if (dbsCheckedOn && dbsCheckedOn > today) errors.dbs_checked_on = 'The certificate date cannot be in the future';
    if (!barred) errors.barred_list_checked = 'An unsupervised volunteer in this role needs the barred list checked too';
  }
  let languages: string[] = [];
  if (role.kind === 'translating') {
    const raw = body.languages;
    const chosen = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map((l) => String(l));
    if (chosen.some((l) => !TRANSLATION_LANGUAGES.includes(l))) errors.languages = 'Choose languages from the list';
    else if (chosen.length === 0) errors.languages = 'Choose the languages they translate into';
    else languages = TRANSLATION_LANGUAGES.filter((l) => chosen.includes(l));
  }
  const reviewOn = date('review_on', 'Enter the review date', true);
  if (reviewOn && reviewOn <= today) errors.review_on = 'The review date must be in the future';
  else if (reviewOn && reviewOn > addDays(today, 3 * 366)) errors.review_on = 'Review it within three years';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    approval: {
      supervised: supervised ? 1 : 0,
      dbsCertificate,
      dbsCheckedOn,
      barredListChecked: supervised ? 0 : (barred as Flag),
      riskAssessment,
      riskAssessedOn,
      reviewOn: reviewOn!,
      ...(role.kind === 'translating' ? { languages } : {}),
    },
  };
}

export type ReviewState = { state: 'none' } | { state: 'ok' | 'soon' | 'overdue'; on: LocalDate };

/** Where an approval's review stands today. */
export function reviewState(v: { status: VolunteerStatus; review_on: LocalDate | null }, today: LocalDate): ReviewState {
  if (v.status !== 'approved' || !v.review_on) return { state: 'none' };
  if (v.review_on < today) return { state: 'overdue', on: v.review_on };
  if (v.review_on <= addDays(today, REVIEW_SOON_DAYS)) return { state: 'soon', on: v.review_on };
  return { state: 'ok', on: v.review_on };
}

/** Whether a volunteer may be put on an activity today, and if not, why. */
export function mayPutOn(v: { status: VolunteerStatus; review_on: LocalDate | null }, today: LocalDate): { ok: true } | { ok: false; message: string } {
  if (v.status !== 'approved') return { ok: false, message: 'Approve the volunteer before putting them on an activity' };
  if (!v.review_on || v.review_on < today) return { ok: false, message: 'Their approval is past its review date: review it first' };
  return { ok: true };
}

export const AssignForm = z
  .object({
    event_id: z.string().default(''),
    activity: z.string().trim().max(200, 'The activity must be 200 characters or fewer').default(''),
    on_date: dateField('the date'),
  })
  .transform((v, ctx) => {
    if (!v.event_id && !v.activity) ctx.addIssue({ code: 'custom', path: ['activity'], message: 'Choose an event or name the activity' });
    return { eventId: v.event_id || null, activity: v.activity, onDate: v.on_date };
  });
