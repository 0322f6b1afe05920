import type { Db } from '../db/database.ts';
import { recordLanguageCheck, setOwnWords } from '../features/languages/index.ts';
import { localDate } from '../platform/calendar/time.ts';
import { languageByCode } from '../platform/i18n/languages.ts';
import { addCarer, addPupil, link, type Plan } from './builder.ts';
import { DEMO_TOWN } from './contacts.ts';
import { CARER_EMAILS } from './people.ts';

/**
 * The demo's languages, so Settings → Languages shows both states and a family reads each kind of
 * page: Shabana Hussain reads Urdu (right to left) and signs in by email link; the school has had
 * its Polish checked by a fluent speaker (the other languages are "not yet checked"), and uses its
 * own Polish words for parents' evenings.
 */
export type UrduFamilyIds = { zainab: string; shabana: string };

/** After the generated families (like hearing.ts), so they stay as they were. */
export function addUrduFamily(plan: Plan): UrduFamilyIds {
  const zainab = addPupil(plan, { given: 'Zainab', family: 'Hussain', year: '1', dob: '2021-03-14', language: 'Urdu' });
  const shabana = addCarer(plan, {
    title: 'Mrs',
    given: 'Shabana',
    family: 'Hussain',
    email: CARER_EMAILS.shabana,
    mobile: plan.nextMobile(),
    address: { line1: '31 Victoria Street', line2: null, town: DEMO_TOWN, postcode: 'BK1 5NR' },
    language: 'Urdu',
  });
  link(plan, shabana, [zainab], { relationship: 'mother' });
  return { zainab, shabana };
}

/** Who checked the demo school's Polish, and the school's own Polish words for "Parents' evenings". */
export const DEMO_POLISH_CHECK = { checkedBy: 'Katarzyna Wiśniewska', daysAgo: 12 };
export const DEMO_POLISH_WORDS = { key: 'common.nav.evenings', text: 'Konsultacje z nauczycielami' };

export async function addDemoLanguages(db: Db, input: { schoolId: string; staffIds: Readonly<Record<string, string>>; now: Date }): Promise<void> {
  const head = input.staffIds.head;
  if (!head) throw new Error('The demo school has no head to record its languages');
  const actor = { kind: 'staff' as const, id: head, schoolId: input.schoolId };
  const polish = languageByCode('pl')!;
  const checkedOn = localDate(new Date(input.now.getTime() - DEMO_POLISH_CHECK.daysAgo * 86_400_000), 'Europe/London');
  await recordLanguageCheck(db, actor, polish, { checked_by: DEMO_POLISH_CHECK.checkedBy, checked_on: checkedOn }, input.now);
  await setOwnWords(db, actor, polish, DEMO_POLISH_WORDS.key, DEMO_POLISH_WORDS.text, input.now);
}
