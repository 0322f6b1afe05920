import { sql, type Kysely } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database, SurveyTable, YearGroup } from '../../db/schema.ts';
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
/** Groups counted as rows come (one a group key), then listed by label. */
class Tally {
  private readonly groups = new Map<string, GroupRate>();
  /** `always`: groups listed even when nobody is in them (both sides of a yes-or-no split), so none silently goes missing. */
  constructor(always: readonly Key[] = []) {
    for (const key of always) this.add(key, 0, 0);
  }
  add(key: Key, invited: number, answered: number): void {
    let row = this.groups.get(key.key);
    if (!row) this.groups.set(key.key, (row = { key: key.key, label: key.label, invited: 0, answered: 0 }));
    row.invited += invited;
    row.answered += answered;
  }
  done(name: string): Breakdown {
    return { name, groups: [...this.groups.values()].sort((a, b) => a.label.localeCompare(b.label)) };
  }
}
function tally(name: string, rows: Iterable<Row>, always: readonly Key[] = []): Breakdown {
  const t = new Tally(always);
  for (const r of rows) t.add(r.key, r.invited, r.answered);
  return t.done(name);
}
const yesNo = (yes: boolean, yesLabel: string, noLabel: string): Key => (yes ? { key: 'yes', label: yesLabel } : { key: 'no', label: noLabel });
const paperKey = (paperOnly: boolean) => yesNo(paperOnly, 'Reached on paper only', 'Reached otherwise');

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
        by((k) => paperKey(k.channels === 'paper')),
        [paperKey(true), paperKey(false)],
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
    const key = (nothing: boolean) => yesNo(nothing, 'Read none of last term’s messages', 'Read something, or were sent nothing they could read online');
    const rows = carers.map((c) => ({ key: key(readNothing.has(c.carer_id)), invited: 1, answered: c.answered ? 1 : 0 }));
    // Staff are never in a carers' survey; an invitation without a carer counts as "read something, or sent nothing".
    const noCarer = kinds.reduce((n, k) => n + k.invited, 0) - carers.length;
    const noCarerAnswered = kinds.reduce((n, k) => n + k.answered, 0) - carers.filter((c) => c.answered).length;
    if (noCarer > 0) rows.push({ key: key(false), invited: noCarer, answered: noCarerAnswered });
    return tally('Read nothing last term', rows, [key(true), key(false)]);
  });
}

/**
 * The school's pupils as the breakdowns need them, one compiled read of two short columns a pupil:
 * `facts` is "S" or "-" (SEND or not), "E" or "-" (EAL or not), the year group, "|", the date of birth.
 */
const pupilFacts = prepared(['schoolId'], (db, v) =>
  db
    .selectFrom('pupils')
    .select(['id', sql<string>`(case when send_status <> 'none' then 'S' else '-' end) || (case when eal = 1 then 'E' else '-' end) || year_group || '|' || date_of_birth`.as('facts')])
    .where('school_id', '=', v.schoolId),
);

const SEND: readonly [Key, Key] = [yesNo(false, 'A child with SEND', 'No child with SEND'), yesNo(true, 'A child with SEND', 'No child with SEND')];
const EAL: readonly [Key, Key] = [yesNo(false, 'A child with EAL', 'No child with EAL'), yesNo(true, 'A child with EAL', 'No child with EAL')];
const NO_CHILD: Key = { key: 'none', label: 'No child recorded' };
const YEAR_KEYS = new Map(Object.entries(YEAR_GROUP_LABELS).map(([key, label]) => [key, { key, label }]));

/**
 * Response rate by group, from the invitations (who was asked and whether they answered): year
 * (of the youngest child asked about), language, SEND, EAL, paper-only families, and families who
 * read none of the messages sent to them in the term before. Each breakdown splits the people asked.
 *
 * Never out of date: the invitations and "read nothing" are kept only under what fixes them
 * (invitedAt, readBreakdownAt); the pupils' year, SEND and EAL are read afresh every time (one row a
 * pupil, two short columns, tallied once per distinct family), so a change to a pupil shows on the next page.
 */
export async function responseBreakdowns(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }): Promise<Breakdown[]> {
  if (survey.audience_kind !== 'carers') return [];
  const invited = await invitedAt(db, survey, totals);
  if (invited.kinds.length === 0) return [];
  const [pupilRows, read] = await Promise.all([pupilFacts(db, { schoolId: survey.school_id }), readBreakdownAt(db, survey, totals, invited)]);
  const pupils = new Map(pupilRows.map((p) => [p.id, p.facts]));

  // What each family's children say about it: the youngest child's year (the first listed of the
  // youngest, if two share a birthday), whether any has SEND, whether any has EAL.
  const years = new Tally();
  const send = new Tally(SEND);
  const eal = new Tally(EAL);
  for (const f of invited.families) {
    let youngest: { year: string; born: string } | undefined;
    let anySend = false;
    let anyEal = false;
    for (const id of f.pupilIds) {
      const facts = pupils.get(id);
      if (facts === undefined) continue;
      const bar = facts.indexOf('|', 2);
      const born = facts.slice(bar + 1);
      if (!youngest || born.localeCompare(youngest.born) > 0) youngest = { year: facts.slice(2, bar), born };
      if (facts[0] === 'S') anySend = true;
      if (facts[1] === 'E') anyEal = true;
    }
    const year = youngest?.year as YearGroup | undefined;
    years.add(year === undefined ? NO_CHILD : (YEAR_KEYS.get(year) ?? { key: year, label: YEAR_GROUP_LABELS[year] }), f.invited, f.answered);
    send.add(SEND[anySend ? 1 : 0], f.invited, f.answered);
    eal.add(EAL[anyEal ? 1 : 0], f.invited, f.answered);
  }
  return [years.done('Year group (youngest child)'), invited.language, send.done('Special educational needs (SEND)'), eal.done('English as an additional language (EAL)'), invited.paper, read];
}
