import type { Fixture } from '../support/fixture.ts';
import { EVERYONE, OTHER_SCHOOL, type Who } from './types.ts';

/** As the fixture made them: an edit saves the same details (an audit entry), so no other row sees a change. */
const AS_MADE = '2026-11-23T09:00:00.000Z';

/**
 * Valid forms for the matrix's own rows, where the form depends on who is trying. An edit is
 * compare-and-set on the record's updated_at, so each person edits a pupil and a carer of their own.
 */
export const OWN_FORMS = {
  pupil(f: Fixture, who: Who): { id: string; form: Record<string, string> } {
    const y3 = { year_group: '3', class_id: f.classes.y3, date_of_birth: '1/5/2019', send_status: 'none', updated_at: AS_MADE };
    if (who === 'senior_leader') return { id: f.pupils.lily, form: { ...y3, given_name: 'Lily', family_name: 'Dean' } };
    if (who === 'office')
      return { id: f.pupils.leo, form: { ...y3, year_group: '4', class_id: f.classes.y4, date_of_birth: '2/3/2018', send_status: 'ehcp', given_name: 'Leo', family_name: 'Mensah' } };
    return { id: f.pupils.kuba, form: { ...y3, given_name: 'Jakub', family_name: 'Nowak', eal: 'yes', home_language: 'Polish' } };
  },
  carer(f: Fixture, who: Who): { id: string; form: Record<string, string> } {
    const common = { preferred_language: 'English', channel_email: 'yes', channel_app: 'yes', address_line1: '1 High Street', town: 'Brookfield', postcode: 'BF1 2AB', updated_at: AS_MADE };
    if (who === 'senior_leader') return { id: f.carers.mark, form: { ...common, given_name: 'Mark', family_name: 'Dean', email: 'mark@families.test', mobile: '07700900003', channel_sms: 'yes' } };
    if (who === 'office') return { id: f.carers.sarah, form: { ...common, given_name: 'Sarah', family_name: 'Dean', email: 'sarah@families.test' } };
    return { id: f.carers.tomasz, form: { ...common, given_name: 'Tomasz', family_name: 'Nowak', email: 'tomasz@families.test', mobile: '07700900002', channel_sms: 'yes' } };
  },
  /** A message about Kuba: anyone who writes messages may write to his family (Mr Okafor teaches him). */
  aboutKuba(f: Fixture, subject: string, extra: Record<string, string> = {}): Record<string, string> {
    return { kind: 'individual', tone: 'information', subject, body: 'Kuba read every night this week.', audience_kind: 'pupils', pupil_ids: f.pupils.kuba, ...extra };
  },
  /** A carer's address to send a sign-in link to: three links an address each quarter of an hour, so they take turns. */
  linkEmail(who: Who): string {
    const emails = ['marta', 'tomasz', 'mark', 'sarah', 'grace', 'h.ward'].map((name) => (name === 'h.ward' ? 'h.ward@council.test' : `${name}@families.test`));
    const i = [...(Object.keys(OTHER_SCHOOL) as Who[]), ...EVERYONE].indexOf(who);
    return emails[i % emails.length]!;
  },
};
