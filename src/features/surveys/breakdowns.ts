import type { Kysely } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database, SurveyTable } from '../../db/schema.ts';
import { carersWhoReadNothing } from '../messages/index.ts';
import { YEAR_GROUP_LABELS } from '../people/index.ts';
import { keep } from './kept.ts';
import type { GroupRate } from './results.ts';

type Db = Kysely<Database>;

export type Breakdown = { name: string; groups: GroupRate[] };
/** "Last term" for reach: the 14 weeks before the survey was sent. */
const TERM_MS = 14 * 7 * 24 * 3600 * 1000;

type Kind = { pupil_ids: string; language: string; channels: string; invited: number; answered: number };
/** One family as the survey asked it: its children (as listed on the invitations) and how many of its people were asked and answered. */
type Family = { pupilIds: string[]; invited: number; answered: number };
type Invited = {
  kinds: Kind[];
  carers: { carer_id: string; answered: boolean }[];
  /** The invitations' families, each once (whatever language or channels its people were asked in). */
  families: Family[];
  /** The breakdowns the invitations alone fix (language, paper-only): worked out once, not per page. */
  language: Breakdown;
  paper: Breakdown;
};

type Key = { key: string; label: string };
type Row = { key: Key; invited: number; answered: number };
function tally(name: string, rows: Iterable<Row>): Breakdown {
  const groups = new Map<string, GroupRate>();
  for (const r of rows) {
    const row = groups.get(r.key.key) ?? { key: r.key.key, label: r.key.label, invited: 0, answered: 0 };
    row.invited += r.invited;
    row.answered += r.answered;
    groups.set(r.key.key, row);
  }
  return { name, groups: [...groups.values()].sort((a, b) => a.label.localeCompare(b.label)) };
}
const yesNo = (yes: boolean, yesLabel: string, noLabel: string): Key => (yes ? { key: 'yes', label: yesLabel } : { key: 'no', label: noLabel });

/**
 * Who was asked and who answered, from the invitations, grouped by children, language and channels
 * (one row per family and language, not one per person asked), and the carers asked. Invitations are
 * written once, when the survey is sent, and only ever marked answered: these are fixed by how many
 * were asked and how many answered, and kept under those two numbers, with everything worked out
 * from them alone (the families' lists of children split once, the language and paper-only rates).
 */
function invitedAt(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }): Promise<Invited> {
  return keep(db, `invited/${survey.school_id}/${survey.id}`, `${totals.invited}/${totals.answered}`, async () => {
    const invitations = db.selectFrom('survey_invitations').where('school_id', '=', survey.school_id).where('survey_id', '=', survey.id);
    const [rows, carers] = await Promise.all([
      invitations
        .select(['pupil_ids', 'language', 'channels', (eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
        .groupBy(['pupil_ids', 'language', 'channels'])
        .execute(),
      invitations.select(['carer_id', 'answered_on']).where('carer_id', 'is not', null).execute(),
    ]);
    const kinds = rows.map((k) => ({ ...k, invited: Number(k.invited), answered: Number(k.answered) }));
    const families = new Map<string, Family>();
    for (const k of kinds) {
      const f = families.get(k.pupil_ids) ?? { pupilIds: k.pupil_ids.split(','), invited: 0, answered: 0 };
      f.invited += k.invited;
      f.answered += k.answered;
      families.set(k.pupil_ids, f);
    }
    const by = (keyOf: (k: Kind) => Key) => kinds.map((k) => ({ key: keyOf(k), invited: k.invited, answered: k.answered }));
    return {
      kinds,
      carers: carers.map((c) => ({ carer_id: c.carer_id!, answered: c.answered_on !== null })),
      families: [...families.values()],
      language: tally(
        'Language',
        by((k) => ({ key: k.language, label: k.language })),
      ),
      paper: tally(
        'Paper-only families',
        by((k) => yesNo(k.channels === 'paper', 'Reached on paper only', 'Reached otherwise')),
      ),
    };
  });
}

/**
 * The carers asked who had read none of the messages sent to them in the term before the survey went
 * out, as things stood when it went out (a later read does not count: carersWhoReadNothing): fixed
 * once the survey is sent, so kept under how many were asked.
 */
function readNothingAt(db: Db, survey: SurveyTable, carerIds: string[], invited: number): Promise<Set<string>> {
  if (!survey.opened_at) return Promise.resolve(new Set());
  const opened = new Date(survey.opened_at);
  return keep(db, `read-nothing/${survey.school_id}/${survey.id}`, String(invited), () =>
    carersWhoReadNothing(db, survey.school_id, carerIds, new Date(opened.getTime() - TERM_MS).toISOString(), opened.toISOString()),
  );
}

/**
 * "Read nothing last term" by who answered: fixed by the invitations (kept under how many were asked
 * and answered) and the carers who had read nothing when the survey went out (readNothingAt).
 */
function readBreakdownAt(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }, { kinds, carers }: Invited): Promise<Breakdown> {
  return keep(db, `read-breakdown/${survey.school_id}/${survey.id}`, `${totals.invited}/${totals.answered}`, async () => {
    const readNothing = await readNothingAt(
      db,
      survey,
      carers.map((c) => c.carer_id),
      totals.invited,
    );
    const key = (nothing: boolean) => yesNo(nothing, 'Read none of last term’s messages', 'Read something, or were sent nothing');
    const rows = carers.map((c) => ({ key: key(readNothing.has(c.carer_id)), invited: 1, answered: c.answered ? 1 : 0 }));
    // Staff are never in a carers' survey; an invitation without a carer counts as "read something, or sent nothing".
    const noCarer = kinds.reduce((n, k) => n + k.invited, 0) - carers.length;
    const noCarerAnswered = kinds.reduce((n, k) => n + k.answered, 0) - carers.filter((c) => c.answered).length;
    if (noCarer > 0) rows.push({ key: key(false), invited: noCarer, answered: noCarerAnswered });
    return tally('Read nothing last term', rows);
  });
}

/** The school's pupils as the breakdowns need them: one compiled read (a row a pupil, five columns). */
const pupilFacts = prepared(['schoolId'], (db, q) => db.selectFrom('pupils').select(['id', 'year_group', 'send_status', 'eal', 'date_of_birth']).where('school_id', '=', q.schoolId));

const SEND: readonly [Key, Key] = [yesNo(false, 'A child with SEND', 'No child with SEND'), yesNo(true, 'A child with SEND', 'No child with SEND')];
const EAL: readonly [Key, Key] = [yesNo(false, 'A child with EAL', 'No child with EAL'), yesNo(true, 'A child with EAL', 'No child with EAL')];
const NO_CHILD: Key = { key: 'none', label: 'No child recorded' };

/**
 * Response rate by group, from the invitations (who was asked and whether they answered): year
 * (of the youngest child asked about), language, SEND, EAL, paper-only families, and families who
 * read none of the messages sent to them in the term before. Each breakdown splits the people asked.
 *
 * Never out of date: the invitations and "read nothing" are kept only under what fixes them
 * (invitedAt, readBreakdownAt); the pupils' year, SEND and EAL are read afresh every time (one row a
 * pupil, five columns, tallied once per distinct family), so a change to a pupil shows on the next page.
 */
export async function responseBreakdowns(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }): Promise<Breakdown[]> {
  if (survey.audience_kind !== 'carers') return [];
  const invited = await invitedAt(db, survey, totals);
  if (invited.kinds.length === 0) return [];
  const [pupilRows, read] = await Promise.all([pupilFacts(db, { schoolId: survey.school_id }), readBreakdownAt(db, survey, totals, invited)]);
  const pupils = new Map(pupilRows.map((p) => [p.id, p]));

  // What each family's children say about it: the youngest child's year (the first listed of the
  // youngest, if two share a birthday), whether any has SEND, whether any has EAL.
  const years: Row[] = [];
  const send: Row[] = [];
  const eal: Row[] = [];
  for (const f of invited.families) {
    let youngest: (typeof pupilRows)[number] | undefined;
    let anySend = false;
    let anyEal = false;
    for (const id of f.pupilIds) {
      const p = pupils.get(id);
      if (!p) continue;
      if (!youngest || p.date_of_birth.localeCompare(youngest.date_of_birth) > 0) youngest = p;
      if (p.send_status !== 'none') anySend = true;
      if (p.eal === 1) anyEal = true;
    }
    const counts = { invited: f.invited, answered: f.answered };
    years.push({ key: youngest ? { key: youngest.year_group, label: YEAR_GROUP_LABELS[youngest.year_group] } : NO_CHILD, ...counts });
    send.push({ key: SEND[anySend ? 1 : 0], ...counts });
    eal.push({ key: EAL[anyEal ? 1 : 0], ...counts });
  }
  return [tally('Year group (youngest child)', years), invited.language, tally('Special educational needs (SEND)', send), tally('English as an additional language (EAL)', eal), invited.paper, read];
}
