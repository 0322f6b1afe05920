import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { answerMatch, recordMatch, setOptIn, withdrawMatch } from '../features/community/buddy-commands.ts';
import { recordWelcomeStep, saveSupport, setKeyWorker, type SupportInput } from '../features/community/commands.ts';
import { localDate } from '../platform/calendar/time.ts';
import { postcodeDistrict, suggestBuddies, type BuddyFamily } from '../features/community/community.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * Belonging in the demo school, through the community feature's own functions: Ms Lewis is the
 * Warsame family's key worker; two buddy matches (journey 11: the Lysenkos, new and Ukrainian-
 * speaking, with the Tkachenkos, Ukrainian-speaking with a child in the same Year 1 — both said yes,
 * and the four-week check-in is due; a second match waiting for the buddy family's answer; and a third
 * that Ms Lewis withdrew, its newcomer waiting for another buddy family); the school's local support
 * directory; welcome checklists in progress.
 */
const DIRECTORY: SupportInput[] = [
  {
    name: 'English for parents (ESOL) at Brookfield Library',
    kind: 'language_class',
    description: 'Free English classes for parents and carers, beginners welcome. A crèche for under-fives.',
    opening_times: 'Mondays and Wednesdays 9:30 to 11:30, term time',
    languages: 'English, Ukrainian, Polish, Somali',
    contact: 'Ask at the library desk or call 01632 960120',
    tags: 'English classes, esol, learn English',
  },
  {
    name: 'Brookfield Food Bank',
    kind: 'service',
    description: 'Food parcels and advice on money and benefits. A referral from the school is welcome but not needed.',
    opening_times: 'Tuesdays 10:00 to 12:00 and Fridays 16:00 to 18:00',
    languages: 'English, Urdu, Polish',
    contact: 'St Mark’s Hall, Church Lane; 01632 960000',
    tags: 'food bank, food, money, benefits',
  },
  {
    name: 'Brookfield Housing Advice',
    kind: 'service',
    description: 'Help with renting, repairs and council housing applications.',
    opening_times: 'Thursdays 13:00 to 16:00 (drop-in)',
    languages: 'English, Arabic, Romanian',
    contact: 'Brookfield Community Centre; 01632 960333',
    tags: 'housing, rent, repairs',
  },
  {
    name: 'Somali Mothers’ Group',
    kind: 'group',
    description: 'A friendly group for Somali-speaking mothers and grandmothers: tea, support and help with school letters.',
    opening_times: 'Fridays 10:00 to 12:00',
    languages: 'Somali, English',
    contact: 'Brookfield Community Centre; ask Ms Lewis at school',
    tags: 'somali, letters, forms',
  },
  {
    name: 'Rhyme Time and Homework Club',
    kind: 'group',
    description: 'Stories and rhymes for under-fives; a homework club with volunteers for primary children.',
    opening_times: 'Saturdays 10:00 to 11:00; homework club Tuesdays 15:30 to 17:00',
    languages: 'English',
    contact: 'Brookfield Library; 01632 960120',
    tags: 'reading, homework, library',
  },
];

export async function addDemoCommunity(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds; now: Date }): Promise<void> {
  const { schoolId, plan, journey: j, now } = input;
  const flo = plan.staffIds.flo;
  const office = plan.staffIds.office;
  const y1 = plan.staffIds.y1;
  if (!flo || !office || !y1) throw new Error('The demo school has no family liaison officer, office or Year 1 teacher for belonging');
  const today = DateTime.fromISO(localDate(now, 'Europe/London'));
  const by = { staffId: flo, schoolId };
  const done = (r: { ok: true } | { ok: false; message: string }) => {
    if (!r.ok) throw new Error(r.message);
  };

  // A key worker for the Warsame family: Faduma's messages and meeting requests go to Ms Lewis first.
  done(await setKeyWorker(db, by, j.faduma, { staffId: flo, reason: 'Faduma cares for Ayaan alone, reads Somali and has no email: one familiar person at school.' }, now));

  const carer = (given: string, family: string) => {
    const c = plan.carers.find((x) => x.given_name === given && x.family_name === family);
    if (!c) throw new Error(`The demo school has no ${given} ${family} for the buddy families`);
    return c.id;
  };
  // Journey 11: the Lysenkos are new (Mykhailo, Year 1) and speak Ukrainian; the Tkachenkos (Danylo, Year 1) too.
  const irynaL = carer('Iryna', 'Lysenko');
  const irynaT = carer('Iryna', 'Tkachenko');
  // A second match, still waiting for the buddy family's answer: the first two other families who share a home language and a year group.
  const named = new Set([j.marta, j.tomasz, j.mark, j.sarah, j.grace, j.socialWorker, j.faduma, j.familyFriend]);
  const families = plan.carers.filter((c) => !named.has(c.id) && c.preferred_language !== 'English' && c.preferred_language !== 'Ukrainian' && !c.archived_at).map((c) => familyOf(plan, c.id));
  const pairs = families.flatMap((n, i) => families.slice(i + 1).flatMap((b) => (b.language === n.language && suggestBuddies(n, [b]).length ? [[n.carerId, b.carerId] as const] : [])));
  const pair = pairs.at(0);
  if (!pair) throw new Error('The demo school has no two families for a second buddy match');
  const [newcomer2, buddy2] = pair;
  // A third match, withdrawn: two more families (neither in the second match); the newcomer waits for
  // another buddy family, and a fourth family who fits has offered to be one.
  const free = (id: string) => id !== newcomer2 && id !== buddy2;
  const another = (n: string, b: string) => pairs.find((p) => p[0] === n && p[1] !== b && free(p[1]))?.[1];
  const third = pairs.find((p) => p.every(free) && another(p[0], p[1]));
  if (!third) throw new Error('The demo school has no three more families for a withdrawn buddy match');
  const [newcomer3, buddy3] = third;
  const buddy4 = another(newcomer3, buddy3)!;
  const at = (days: number) => today.minus({ days });
  const when = (days: number) => new Date(at(days).toJSDate().getTime() + 10 * 3_600_000);

  for (const [id, wants, days] of [
    [irynaL, 'newcomer', 33],
    [irynaT, 'buddy', 40],
    [newcomer2, 'newcomer', 4],
    [buddy2, 'buddy', 20],
    [newcomer3, 'newcomer', 18],
    [buddy3, 'buddy', 25],
    [buddy4, 'buddy', 1],
  ] as const)
    await setOptIn(db, { carerId: id, schoolId }, wants, when(days));

  const baseUrl = 'http://localhost:3000';
  const first = await recordMatch(db, by, { newcomer: irynaL, buddy: irynaT }, { today: at(30).toISODate()!, now: when(30), baseUrl });
  done(first);
  if (first.ok) {
    await answerMatch(db, { carerId: irynaL, schoolId }, first.id, 'yes', { now: when(29), baseUrl });
    await answerMatch(db, { carerId: irynaT, schoolId }, first.id, 'yes', { now: when(28), baseUrl });
  }
  const second = await recordMatch(db, by, { newcomer: newcomer2, buddy: buddy2 }, { today: at(2).toISODate()!, now: when(2), baseUrl });
  done(second);
  if (second.ok) await answerMatch(db, { carerId: newcomer2, schoolId }, second.id, 'yes', { now: when(1), baseUrl });
  const withdrawn = await recordMatch(db, by, { newcomer: newcomer3, buddy: buddy3 }, { today: at(14).toISODate()!, now: when(14), baseUrl });
  done(withdrawn);
  if (withdrawn.ok) {
    await answerMatch(db, { carerId: newcomer3, schoolId }, withdrawn.id, 'yes', { now: when(13), baseUrl });
    await answerMatch(db, { carerId: buddy3, schoolId }, withdrawn.id, 'yes', { now: when(12), baseUrl });
    const reason = 'The two families live at opposite ends of town and have not managed to meet; a family nearer school would suit them better.';
    done(await withdrawMatch(db, by, withdrawn.id, reason, { now: when(3), baseUrl }));
  }

  for (const entry of DIRECTORY) done(await saveSupport(db, { staffId: office, schoolId }, null, entry, when(45)));

  const step = (carerId: string, s: 'induction_visit' | 'forms_done' | 'met_teacher' | 'buddy_offered', days: number, helper: string | null, note = '') =>
    recordWelcomeStep(db, by, carerId, { step: s, done_on: at(days).toISODate()!, helped_by: helper ?? '', note }, { today: today.toISODate()!, now });
  done(await step(irynaL, 'induction_visit', 35, flo, 'Shown round by Ms Lewis with a Ukrainian-speaking parent volunteer'));
  done(await step(irynaL, 'forms_done', 34, office, 'Admission and medical forms filled in together at the office'));
  done(await step(irynaL, 'buddy_offered', 33, flo));
  done(await step(irynaL, 'met_teacher', 31, y1));
  done(await step(newcomer2, 'induction_visit', 5, flo));
  done(await step(newcomer2, 'buddy_offered', 4, flo));
  done(await step(newcomer3, 'induction_visit', 19, flo));
  done(await step(newcomer3, 'buddy_offered', 18, flo));
  done(await step(j.faduma, 'forms_done', 60, office, 'Read through in Somali on the phone with an interpreter'));
  done(await step(j.faduma, 'met_teacher', 58, plan.staffIds.nursery ?? null));
}

/** A demo family as the matching rules see it, from the plan (before it is in the database). */
function familyOf(plan: Plan, carerId: string): BuddyFamily {
  const c = plan.carers.find((x) => x.id === carerId)!;
  return {
    carerId,
    name: `${c.given_name} ${c.family_name}`,
    language: c.preferred_language,
    district: postcodeDistrict(c.postcode),
    children: plan.links
      .filter((l) => l.carer_id === carerId)
      .map((l) => plan.pupils.find((p) => p.id === l.pupil_id)!)
      .filter((p) => !p.archived_at)
      .map((p) => ({ pupilId: p.id, yearGroup: p.year_group, homeLanguage: p.home_language })),
    restrictedFrom: plan.restrictions.filter((r) => r.carer_id === carerId).map((r) => r.pupil_id),
  };
}
