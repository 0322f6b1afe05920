import type { Db } from '../db/database.ts';
import { schoolCalendar } from '../platform/calendar/calendar-queries.ts';
import { schoolDaysBefore } from '../platform/calendar/school-days.ts';
import { localDate } from '../platform/calendar/time.ts';
import { DateTime } from 'luxon';
import { newId } from '../platform/ids.ts';
import { extendRequest, recordRequest } from '../features/subject-access/queries.ts';
import { correctRequest } from '../features/subject-access/correct.ts';
import type { RequestInput } from '../features/subject-access/forms.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * Subject access and education record requests in the demo, recorded by Ms Byrne through the feature's
 * own functions (features/subject-access), relative to the day the demo is loaded:
 * - Tomasz Nowak, who lives apart from Kuba and has parental responsibility, asked for Kuba's education
 *   record 13 school days ago: it is due in two school days (on the office's and the head's home page).
 * - Mark Dean asked for his daughter Lily's records ten days ago: a court order stops him receiving
 *   information about her, and the request page says so in a warning.
 * - A solicitor asked, 40 days ago, for a former pupil's file: extended as complex (three months); the
 *   office first typed their reference wrongly and corrected it (the audit names the field changed).
 */
export async function addDemoSubjectAccess(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds; now: Date }): Promise<void> {
  const { schoolId, plan, journey, now } = input;
  const office = plan.staffIds.office;
  if (!office) throw new Error('The demo school has no office manager to record requests');
  const actor = { kind: 'staff' as const, id: office, schoolId };
  const today = localDate(now, 'Europe/London');
  const daysAgo = (days: number) => DateTime.fromISO(today).minus({ days }).toISODate()!;
  const calendar = await schoolCalendar(db, schoolId);
  const record = async (form: Omit<RequestInput, 'form_id'>) => {
    const made = await recordRequest(db, actor, { ...form, form_id: newId() }, calendar, today, now);
    if (!made.ok) throw new Error(`The demo request was refused: ${JSON.stringify(made.errors)}`);
    return made.id;
  };
  const none = { requester_name: null, requester_contact: null, about_other: null };

  // An education record needs term dates 15 school days ahead; past the last demo term, a subject access request instead.
  const tomasz = { ...none, requester: 'carer' as const, carer_id: journey.tomasz, about: 'pupil' as const, pupil_id: journey.kuba, identity_checked: 'yes' as const };
  const recordOn = schoolDaysBefore(calendar, today, 13);
  const education = await recordRequest(db, actor, { ...tomasz, form_id: newId(), kind: 'education_record', received_on: recordOn }, calendar, today, now);
  if (!education.ok) await record({ ...tomasz, kind: 'subject_access', received_on: daysAgo(26) });

  await record({ ...none, kind: 'subject_access', requester: 'carer', carer_id: journey.mark, about: 'pupil', pupil_id: journey.lily, received_on: daysAgo(10), identity_checked: 'yes' });

  const solicitor = await record({
    kind: 'subject_access',
    requester: 'outside',
    requester_name: 'Hart & Co Solicitors (for the family of a former pupil)',
    requester_contact: 'enquiries@hartco.example, reference HC/2026/412',
    about: 'other',
    pupil_id: undefined,
    carer_id: undefined,
    about_other: 'A former pupil who left Brookfield in July 2024',
    received_on: daysAgo(40),
    identity_checked: 'yes',
  });
  const corrected = await correctRequest(
    db,
    actor,
    solicitor,
    {
      kind: 'subject_access',
      requester: 'outside',
      requester_name: 'Hart & Co Solicitors (for the family of a former pupil)',
      requester_contact: 'enquiries@hartco.example, reference HC/2026/0412',
      about: 'other',
      about_other: 'A former pupil who left Brookfield in July 2024',
      received_on: daysAgo(40),
    },
    calendar,
    today,
    now,
  );
  if (!corrected.ok) throw new Error('The demo request could not be corrected');
  const extended = await extendRequest(db, actor, solicitor, 'Seven years of records, with other pupils and families named throughout: each page must be read and others’ information taken out.', now);
  if (!extended.ok) throw new Error('The demo request could not be extended');
}
