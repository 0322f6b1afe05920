import type { Db } from '../db/database.ts';
import type { SurveyInvitationTable } from '../db/schema.ts';
import type { Actor } from '../platform/audit/audit.ts';
import { answerInvitation, keyAnonymousForm, markReturned, type Answer } from '../features/surveys/answer.ts';
import { closeSurvey, createSurvey } from '../features/surveys/commands.ts';
import { openSurvey } from '../features/surveys/invite.ts';
import { questionsOf } from '../features/surveys/queries.ts';
import type { AgreeValue, Question } from '../features/surveys/questions.ts';
import type { Plan } from './builder.ts';
import { DEMO_SCHOOL } from './calendar.ts';
import { BASE_URL, dialectOf, eachOf } from './meetings-context.ts';
import { chance, seededRng, shuffled, weighted, type Rng } from './random.ts';

/**
 * The demo school's surveys, through the surveys feature's own functions at the time each ran:
 * - the family partnership statements, to families in September 2025 (the baseline) and July 2026
 *   (the follow-up, as journey 9 tells it): "Teaching staff build positive relationships with parents" rises from about
 *   62% to about 93% (a real improvement); "involves parents when reviewing its policies" moves a
 *   little (no clear change);
 * - the same for staff: "involves parents when reviewing policies" 24% → 47% as in seed 000 (from
 *   about 17 staff: no clear change yet), and the unconscious-bias statement, where most staff
 *   said "don't know" in September (too few answers to tell);
 * - Ofsted's Parent View questions, sent in November 2026 and still open, with paper answers.
 */
type Mix = Partial<Record<AgreeValue, number>>;
type Plan2 = { respond: number; agree: Record<string, Mix>; texts?: string[] };

const DAY = 24 * 3600 * 1000;

function agreeFrom(rng: Rng, mix: Mix | undefined): AgreeValue {
  const m = mix ?? { strongly_agree: 3, agree: 5, disagree: 1, strongly_disagree: 0.5, dont_know: 0.5 };
  return weighted(
    rng,
    Object.entries(m).map(([k, w]) => [k as AgreeValue, w] as const),
  );
}

function answersFor(rng: Rng, questions: Question[], plan: Plan2, textIndex: { n: number }): Answer[] {
  const out: Answer[] = [];
  for (const q of questions) {
    if (q.kind === 'agree') out.push({ questionId: q.id, value: agreeFrom(rng, plan.agree[q.template_question ?? ''] ?? plan.agree['*']) });
    else if (q.kind === 'yes_no') out.push({ questionId: q.id, value: chance(rng, 0.9) ? 'yes' : 'no' });
    else if (q.kind === 'single')
      out.push({
        questionId: q.id,
        value: String(
          weighted(
            rng,
            q.options.map((_, i) => [i, i === q.options.length - 1 ? 3 : i < 2 ? 3 : 0.4] as const),
          ),
        ),
      });
    else if (q.kind === 'multiple') out.push({ questionId: q.id, value: [...new Set([0, ...(chance(rng, 0.5) ? [4] : []), ...(chance(rng, 0.3) ? [1] : [])])].sort().join(',') });
    else if (plan.texts && textIndex.n < plan.texts.length && chance(rng, 0.3)) out.push({ questionId: q.id, value: plan.texts[textIndex.n++]! });
  }
  return out;
}

async function runSurvey(
  db: Db,
  input: { schoolId: string; head: string; office: string },
  spec: { title: string; template: string; audience: 'carers' | 'staff'; opened: Date; closed: Date | null; baselineId: string | null; plan: Plan2; seed: number },
): Promise<string> {
  const head: Actor = { kind: 'staff', id: input.head, schoolId: input.schoolId };
  const office: Actor = { kind: 'staff', id: input.office, schoolId: input.schoolId };
  const audience =
    spec.audience === 'staff'
      ? { kind: 'staff' as const, audience: { roles: ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'] as const } }
      : { kind: 'carers' as const, audience: { kind: 'school' as const } };
  const created = new Date(spec.opened.getTime() - 2 * DAY);
  const id = await createSurvey(
    db,
    head,
    input.schoolId,
    { title: spec.title, intro: '', anonymous: true, audience: audience as never, template: spec.template, baselineId: spec.baselineId },
    created,
  );
  const date = (d: Date) => d.toISOString().slice(0, 10);
  await openSurvey(db, head, input.schoolId, id, { baseUrl: BASE_URL, schoolName: DEMO_SCHOOL.name, today: date(spec.opened), now: spec.opened });
  const questions = await questionsOf(db, id);
  const rng = seededRng(spec.seed);
  const invitations: SurveyInvitationTable[] = await db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', id).orderBy('token').execute();
  const answering = shuffled(rng, invitations).slice(0, Math.round(invitations.length * spec.plan.respond));
  const textIndex = { n: 0 };
  // The answers are drawn in order (the same demo every time), then stored a few at a time on PostgreSQL.
  const responses = answering.map((inv, i) => ({
    inv,
    at: new Date(spec.opened.getTime() + (1 + (i % 9)) * DAY + (i % 13) * 3600 * 1000),
    answers: answersFor(rng, questions, spec.plan, textIndex),
  }));
  const store = async ({ inv, at, answers }: (typeof responses)[number]) => {
    const actor: Actor = inv.carer_id ? { kind: 'carer', id: inv.carer_id, schoolId: input.schoolId } : { kind: 'staff', id: inv.staff_id!, schoolId: input.schoolId };
    if (inv.channels === 'paper') {
      // A paper form: ticked off by the office, keyed in separately (anonymous).
      await markReturned(db, office, inv, 'paper', date(at), at);
      await keyAnonymousForm(db, office, input.schoolId, id, answers, 'paper', date(at), at);
    } else await answerInvitation(db, actor, inv, answers, 'online', date(at), at);
  };
  // The first alone, so the survey's first answer is the earliest.
  if (responses[0]) await store(responses[0]);
  await eachOf({ dialect: dialectOf(db) }, responses.slice(1), store);
  if (spec.closed) await closeSurvey(db, head, input.schoolId, id, spec.closed);
  return id;
}

export async function addDemoSurveys(db: Db, input: { schoolId: string; plan: Plan }): Promise<{ surveys: number }> {
  const staffId = (key: string) => {
    const id = input.plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return id;
  };
  const who = { schoolId: input.schoolId, head: staffId('head'), office: staffId('office') };
  // Families: about 4 in 10 answer; the relationship statement moves from about 62% to 93%.
  const familyTexts = [
    'More meetings after work, please: I cannot come at 3:30.',
    'The new class newsletters help a lot.',
    'I would like to know earlier about trips.',
    'Thank you to Mr Okafor for the phone calls.',
    'Translate letters into Polish, please.',
    'Coffee mornings are a good idea.',
    'Tell us what the homework is for.',
  ];
  const familyBaseline = await runSurvey(db, who, {
    title: 'Working with families: September 2025 (baseline)',
    template: 'partnership_parents',
    audience: 'carers',
    opened: new Date('2025-09-17T08:00:00.000Z'),
    closed: new Date('2025-10-03T15:00:00.000Z'),
    baselineId: null,
    seed: 2025_09,
    plan: {
      respond: 0.4,
      agree: {
        'partnership.positive_relationships': { strongly_agree: 22, agree: 40, disagree: 28, strongly_disagree: 10, dont_know: 6 },
        'partnership.feel_valued': { strongly_agree: 15, agree: 35, disagree: 35, strongly_disagree: 15, dont_know: 10 },
        'partnership.parents_policy_reviews': { strongly_agree: 10, agree: 30, disagree: 40, strongly_disagree: 20, dont_know: 25 },
      },
      texts: familyTexts,
    },
  });
  await runSurvey(db, who, {
    title: 'Working with families: July 2026 (follow-up)',
    template: 'partnership_parents',
    audience: 'carers',
    opened: new Date('2026-07-01T08:00:00.000Z'),
    closed: new Date('2026-07-15T15:00:00.000Z'),
    baselineId: familyBaseline,
    seed: 2026_06,
    plan: {
      respond: 0.45,
      agree: {
        'partnership.positive_relationships': { strongly_agree: 48, agree: 45, disagree: 5, strongly_disagree: 2, dont_know: 4 },
        'partnership.feel_valued': { strongly_agree: 30, agree: 42, disagree: 20, strongly_disagree: 8, dont_know: 8 },
        'partnership.parents_policy_reviews': { strongly_agree: 12, agree: 33, disagree: 38, strongly_disagree: 17, dont_know: 20 },
      },
      texts: familyTexts,
    },
  });
  // Staff: the seed's 24% → 47% from a small staff (no clear change yet); unconscious bias mostly "don't know" in September.
  const staffBaseline = await runSurvey(db, who, {
    title: 'Working with parents (staff): September 2025 (baseline)',
    template: 'partnership_staff',
    audience: 'staff',
    opened: new Date('2025-09-10T08:00:00.000Z'),
    closed: new Date('2025-09-24T15:00:00.000Z'),
    baselineId: null,
    seed: 2025_091,
    plan: {
      respond: 1,
      agree: {
        'partnership.staff_development': { agree: 35, disagree: 65 },
        'partnership.unconscious_bias': { agree: 2, disagree: 4, dont_know: 12 },
        'partnership.engagement_policy': { agree: 36, disagree: 64 },
        'partnership.policy_reviews': { agree: 24, disagree: 76 },
      },
    },
  });
  await runSurvey(db, who, {
    title: 'Working with parents (staff): July 2026 (follow-up)',
    template: 'partnership_staff',
    audience: 'staff',
    opened: new Date('2026-07-06T08:00:00.000Z'),
    closed: new Date('2026-07-17T15:00:00.000Z'),
    baselineId: staffBaseline,
    seed: 2026_061,
    plan: {
      respond: 1,
      agree: {
        'partnership.staff_development': { strongly_agree: 20, agree: 42, disagree: 38 },
        'partnership.unconscious_bias': { agree: 64, disagree: 36 },
        'partnership.engagement_policy': { strongly_agree: 30, agree: 40, disagree: 30 },
        'partnership.policy_reviews': { agree: 47, disagree: 53 },
      },
    },
  });
  // Parent View, this term: still open, about a third have answered so far.
  await runSurvey(db, who, {
    title: 'Parent View questions: November 2026',
    template: 'parent_view',
    audience: 'carers',
    opened: new Date('2026-11-09T08:00:00.000Z'),
    closed: null,
    baselineId: null,
    seed: 2026_11,
    plan: {
      respond: 0.3,
      agree: { '*': { strongly_agree: 45, agree: 40, disagree: 8, strongly_disagree: 3, dont_know: 6 } },
    },
  });
  return { surveys: 5 };
}
