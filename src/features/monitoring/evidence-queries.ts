import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, LocalDate, PupilTable } from '../../db/schema.ts';
import { PAPER_ONLY_CHANNELS, TEXT_ONLY_CHANNELS } from '../messages/index.ts';

/**
 * Counting, for "How well we work with families" (evidence.ts): one school, one school year, each
 * figure counted in SQL so a busy school sends numbers, not rows. The tables belong to other features
 * (messages, evenings, meetings, surveys, consultations, agreements, profiles, events, community,
 * volunteering); they are only read here. A period runs from `from` to `to` inclusive (local dates);
 * instants are compared by their UTC date, and only what has happened by `today` counts.
 */
export type EvidenceCounts = {
  messages: { sent: number; carersSent: number; carersRead: number; otherLanguage: number; otherLanguageInIt: number };
  evenings: { held: number; pupilsInvited: number; pupilsBooked: number };
  meetings: { held: number; followedUp: number; actionsDue: number; actionsDoneInTime: number; difficult: number; difficultPlanned: number };
  listening: { surveys: number; invited: number; answered: number; followUps: { id: string; title: string }[]; consultations: number; youSaidWeDid: number; comments: number };
  agreements: { pupils: number; carerSigned: number; pupilSigned: number; hasAgreement: boolean; profiles: number; profilesWithFamilyWords: number; profilesReviewed: number };
  belonging: { events: number; familiesCame: number; firstTime: number; buddies: number; volunteersApproved: number };
};

const n = (row: { n: number | string | bigint } | undefined) => Number(row?.n ?? 0);
const day = (column: string) => sql<LocalDate>`substr(${sql.ref(column)}, 1, 10)`;
/** The day after a date (YYYY-MM-DD): instants on `d` are those before it. */
const dayAfter = (d: LocalDate): string => new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

export async function evidenceCounts(db: Db, schoolId: string, period: { from: LocalDate; to: LocalDate }, today: LocalDate): Promise<EvidenceCounts> {
  // Only what has happened: up to today, or the year's end if it is over.
  const until = period.to < today ? period.to : today;
  const { from } = period;
  const inPeriod = (column: string) => sql<boolean>`${day(column)} >= ${from} and ${day(column)} <= ${until}`;

  // The same period as a range of the instants themselves, which the databases can plan from (PostgreSQL took a
  // substr() range for 1 message in 100, and read a year's 350,000 recipient rows by message to count carers).
  const nextDay = dayAfter(until);
  const sentMessages = db.selectFrom('messages').select('id').where('school_id', '=', schoolId).where('status', '=', 'sent').where('sent_at', '>=', from).where('sent_at', '<', nextDay);
  // Carers sent a message they could be seen to read (not a copy on paper only, nor an urgent notice by text
  // only: messages' reach.ts, howTheyGotIt), and of them those who read one. A year is ~100 messages to every
  // carer (350,000 rows for 3,500 carers): counting distinct carers over them took 90 ms a figure on SQLite.
  // So each carer is asked instead whether they have such a row, by the carer index (carer_id, created_at):
  // a recipient row is written with its message's sent_at as its created_at (send.ts, one transaction), so
  // the period's rows are a range of it; by the indexes of the rows not on paper only and of the rows read
  // (migration 0043: their conditions are written here as literals, as they are there, so both databases
  // use them). A carer who received nothing online, or read nothing, costs one look in an index.
  const receivedOnline = (read: boolean) =>
    db
      .selectFrom('carers as c')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.school_id', '=', schoolId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('message_recipients as r')
            .innerJoin('messages as m', 'm.id', 'r.message_id')
            .select('r.id')
            .whereRef('r.carer_id', '=', 'c.id')
            .where('r.school_id', '=', schoolId)
            .where('r.created_at', '>=', from)
            .where('r.created_at', '<', nextDay)
            .where('m.school_id', '=', schoolId)
            .where('m.status', '=', 'sent')
            .where('m.sent_at', '>=', from)
            .where('m.sent_at', '<', nextDay)
            // Sent: the channels as literals, the condition of the index of rows not on paper only. Read: as values,
            // which no partial index matches, so that SQLite, which keeps no figures for an index until it measures it,
            // cannot choose that index over the one of rows read (and walk every row of a carer who reads nothing).
            .$if(!read, (q) =>
              q.where(
                'r.channels',
                'not in',
                PAPER_ONLY_CHANNELS.map((c) => sql.lit(c)),
              ),
            )
            .$if(read, (q) => q.where('r.channels', 'not in', [...PAPER_ONLY_CHANNELS]))
            .where((eb) => eb.or([eb('m.kind', '!=', 'urgent'), eb('r.channels', 'not in', [...TEXT_ONLY_CHANNELS])]))
            .$if(read, (q) => q.where((eb) => eb.or([eb('r.read_at', 'is not', null), eb('r.acknowledged_at', 'is not', null)]))),
        ),
      );
  // Each message to each carer whose language is not English: a fifth of the rows or so, found by the index
  // of exactly those rows (migration 0043, whose condition is the same literal 'en').
  const inOtherLanguage = db.selectFrom('message_recipients as r').where('r.school_id', '=', schoolId).where('r.message_id', 'in', sentMessages).where('r.language', '!=', sql.lit('en'));
  const { eveningsHeld, invited } = eveningPupils(db, schoolId, from, until);

  const meetingsHeld = db.selectFrom('meetings as m').where('m.school_id', '=', schoolId).where('m.kind', '!=', 'parents_evening').where('m.status', '=', 'held').where(inPeriod('m.starts_at'));
  // Difficult meetings planned in the period (the plan comes before the meeting, which may be yet to come).
  const difficult = db.selectFrom('meetings as m').where('m.school_id', '=', schoolId).where('m.possibly_difficult', '=', 1).where('m.status', '!=', 'cancelled').where(inPeriod('m.created_at'));
  const actionsDue = db
    .selectFrom('meeting_actions as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .where('a.school_id', '=', schoolId)
    .where('m.status', '!=', 'cancelled')
    .where('a.due_on', '>=', from)
    .where('a.due_on', '<=', until);

  const surveys = db.selectFrom('surveys as s').where('s.school_id', '=', schoolId).where('s.opened_at', 'is not', null).where(inPeriod('s.opened_at'));
  const consultations = db.selectFrom('consultations as c').where('c.school_id', '=', schoolId).where('c.closes_on', '>=', from).where('c.closes_on', '<=', until);

  // The agreement in use at the end of the period, and the pupils on roll then.
  const endOfPeriod = `${until}T23:59:59.999Z`;
  const onRollThen = (eb: ExpressionBuilder<Database & { p: PupilTable }, 'p'>) => eb.or([eb('p.archived_at', 'is', null), eb('p.archived_at', '>', endOfPeriod)]);
  const version = await db
    .selectFrom('agreement_versions')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('status', '=', 'published')
    .where('published_at', '<=', endOfPeriod)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const onRoll = db.selectFrom('pupils as p').where('p.school_id', '=', schoolId).where('p.created_at', '<=', endOfPeriod).where(onRollThen);
  const signedBy = (signer: 'carer' | 'pupil') =>
    version
      ? onRoll
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('agreement_signatures as g')
                .select('g.id')
                .whereRef('g.pupil_id', '=', 'p.id')
                .where('g.version_id', '=', version.id)
                .where('g.signer', '=', signer)
                .where('g.signed_on', '<=', until),
            ),
          )
          .executeTakeFirst()
      : Promise.resolve(undefined);
  const profiles = db.selectFrom('profiles as f').innerJoin('pupils as p', 'p.id', 'f.pupil_id').where('f.school_id', '=', schoolId).where('f.created_at', '<=', endOfPeriod).where(onRollThen);

  const attendedInPeriod = db
    .selectFrom('event_attendance as a')
    .innerJoin('event_sessions as s', 's.id', 'a.session_id')
    .where('a.school_id', '=', schoolId)
    .where('a.attended', '=', 1)
    .where(inPeriod('s.starts_at'));

  const [
    sent,
    carersSent,
    carersRead,
    otherLanguage,
    otherLanguageInIt,
    held,
    pupilsInvited,
    pupilsBooked,
    meetingsHeldN,
    followedUp,
    actionsDueN,
    actionsDoneInTime,
    difficultN,
    difficultPlanned,
    surveysN,
    invitations,
    answered,
    followUps,
    consultationsN,
    youSaidWeDid,
    comments,
    pupils,
    carerSigned,
    pupilSigned,
    profilesN,
    withWords,
    reviewed,
    events,
    familiesCame,
    firstTime,
    buddies,
    volunteersApproved,
  ] = await Promise.all([
    sentMessages
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
    receivedOnline(false).executeTakeFirst(),
    receivedOnline(true).executeTakeFirst(),
    inOtherLanguage.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    // With a checked translation in their language: from each checked translation to its message's rows in that language.
    inOtherLanguage
      .innerJoin('message_translations as t', (j) => j.onRef('t.message_id', '=', 'r.message_id').onRef('t.language', '=', 'r.language'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('t.school_id', '=', schoolId)
      .where('t.status', '=', 'checked')
      .executeTakeFirst(),
    eveningsHeld
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
    invited.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    invited
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(familyBooked)
      .executeTakeFirst(),
    meetingsHeld.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    meetingsHeld
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('m.summary_sent_at', 'is not', null)
      .where('m.follow_up_on', 'is not', null)
      .where((eb) => eb.exists(eb.selectFrom('meeting_actions as a').select('a.id').whereRef('a.meeting_id', '=', 'm.id')))
      .executeTakeFirst(),
    actionsDue.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    actionsDue
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.done_at', 'is not', null)
      .where(sql<boolean>`${day('a.done_at')} <= ${sql.ref('a.due_on')}`)
      .executeTakeFirst(),
    difficult.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    difficult
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('meeting_safety_plans as sp')
            .select('sp.meeting_id')
            .whereRef('sp.meeting_id', '=', 'm.id')
            .where('sp.colleague_id', 'is not', null)
            .where('sp.clear_route_out', '=', 1)
            .where('sp.head_told_at', 'is not', null),
        ),
      )
      .executeTakeFirst(),
    surveys.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    db
      .selectFrom('survey_invitations as i')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('i.school_id', '=', schoolId)
      .where('i.survey_id', 'in', surveys.select('s.id'))
      .executeTakeFirst(),
    db
      .selectFrom('survey_invitations as i')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('i.school_id', '=', schoolId)
      .where('i.survey_id', 'in', surveys.select('s.id'))
      .where('i.answered_on', 'is not', null)
      .executeTakeFirst(),
    surveys.select(['s.id', 's.title']).where('s.baseline_id', 'is not', null).orderBy('s.opened_at').execute(),
    consultations.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    consultations
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.status', '=', 'adopted')
      .executeTakeFirst(),
    db
      .selectFrom('consultation_comments as k')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('k.school_id', '=', schoolId)
      .where('k.withdrawn_at', 'is', null)
      .where('k.consultation_id', 'in', consultations.select('c.id'))
      .executeTakeFirst(),
    onRoll.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    signedBy('carer'),
    signedBy('pupil'),
    profiles.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    profiles
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.exists(eb.selectFrom('profile_words as w').select('w.id').whereRef('w.profile_id', '=', 'f.id').where('w.created_at', '<=', endOfPeriod)))
      .executeTakeFirst(),
    profiles
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.exists(eb.selectFrom('profile_reviews as v').select('v.id').whereRef('v.profile_id', '=', 'f.id').where('v.reviewed_on', '>=', from).where('v.reviewed_on', '<=', until)))
      .executeTakeFirst(),
    db
      .selectFrom('events as e')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('e.school_id', '=', schoolId)
      .where('e.status', '=', 'published')
      .where((eb) => eb.exists(eb.selectFrom('event_sessions as s').select('s.id').whereRef('s.event_id', '=', 'e.id').where(inPeriod('s.starts_at'))))
      .executeTakeFirst(),
    attendedInPeriod.select((eb) => eb.fn.count<number>('a.carer_id').distinct().as('n')).executeTakeFirst(),
    // Came for the first time: no attendance at any event before this period.
    attendedInPeriod
      .select((eb) => eb.fn.count<number>('a.carer_id').distinct().as('n'))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('event_attendance as before')
              .innerJoin('event_sessions as bs', 'bs.id', 'before.session_id')
              .select('before.id')
              .whereRef('before.carer_id', '=', 'a.carer_id')
              .where('before.attended', '=', 1)
              .where(sql<boolean>`${day('bs.starts_at')} < ${from}`),
          ),
        ),
      )
      .executeTakeFirst(),
    db
      .selectFrom('buddy_matches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('recorded_on', '>=', from)
      .where('recorded_on', '<=', until)
      .where('newcomer_consent_at', 'is not', null)
      .where('buddy_consent_at', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('volunteers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('approved_on', '>=', from)
      .where('approved_on', '<=', until)
      .executeTakeFirst(),
  ]);
  return {
    messages: { sent: n(sent), carersSent: n(carersSent), carersRead: n(carersRead), otherLanguage: n(otherLanguage), otherLanguageInIt: n(otherLanguageInIt) },
    evenings: { held: n(held), pupilsInvited: n(pupilsInvited), pupilsBooked: n(pupilsBooked) },
    meetings: {
      held: n(meetingsHeldN),
      followedUp: n(followedUp),
      actionsDue: n(actionsDueN),
      actionsDoneInTime: n(actionsDoneInTime),
      difficult: n(difficultN),
      difficultPlanned: n(difficultPlanned),
    },
    listening: {
      surveys: n(surveysN),
      invited: n(invitations),
      answered: n(answered),
      followUps,
      consultations: n(consultationsN),
      youSaidWeDid: n(youSaidWeDid),
      comments: n(comments),
    },
    agreements: {
      hasAgreement: version !== undefined,
      pupils: n(pupils),
      carerSigned: n(carerSigned),
      pupilSigned: n(pupilSigned),
      profiles: n(profilesN),
      profilesWithFamilyWords: n(withWords),
      profilesReviewed: n(reviewed),
    },
    belonging: { events: n(events), familiesCame: n(familiesCame), firstTime: n(firstTime), buddies: n(buddies), volunteersApproved: n(volunteersApproved) },
  };
}

type InvitedPupil = ExpressionBuilder<Database & { ec: Database['evening_classes']; p: Database['pupils'] }, 'ec' | 'p'>;

/** An evening's pupil (`ec`, `p`) whose family booked an appointment (not only held) there, not cancelled. */
function familyBooked(eb: InvitedPupil) {
  return eb.exists(
    eb
      .selectFrom('evening_bookings as b')
      .select('b.id')
      .whereRef('b.evening_id', '=', 'ec.evening_id')
      .whereRef('b.pupil_id', '=', 'p.id')
      .where('b.status', '=', 'booked')
      .where('b.cancelled_at', 'is', null),
  );
}

/**
 * Parents' evenings held in the period (published, with a session from `from` to `until`), and each
 * one's pupils: those of its classes, not archived (a pupil at two evenings is counted at each).
 */
function eveningPupils(db: Db, schoolId: string, from: LocalDate, until: LocalDate) {
  const eveningsHeld = db
    .selectFrom('evenings as e')
    .select('e.id')
    .where('e.school_id', '=', schoolId)
    .where('e.published_at', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('evening_sessions as s').select('s.id').whereRef('s.evening_id', '=', 'e.id').where('s.date', '>=', from).where('s.date', '<=', until)));
  const invited = db
    .selectFrom('evening_classes as ec')
    .innerJoin('pupils as p', (j) => j.onRef('p.class_id', '=', 'ec.class_id').onRef('p.school_id', '=', 'ec.school_id'))
    .where('ec.school_id', '=', schoolId)
    .where('ec.evening_id', 'in', eveningsHeld)
    .where('p.archived_at', 'is', null);
  return { eveningsHeld, invited };
}

export type EveningPupil = { year_group: PupilTable['year_group']; send_status: PupilTable['send_status']; eal: number; home_language: string | null; booked: number };

/** Each pupil at each parents' evening held in the period, with their groups and whether their family booked (for the figures by group). */
export async function eveningPupilsBooked(db: Db, schoolId: string, period: { from: LocalDate; to: LocalDate }, today: LocalDate): Promise<EveningPupil[]> {
  const until = period.to < today ? period.to : today;
  const rows = await eveningPupils(db, schoolId, period.from, until)
    .invited.select(['p.year_group', 'p.send_status', 'p.eal', 'p.home_language'])
    .select((eb) => eb.case().when(familyBooked(eb)).then(1).else(0).end().as('booked'))
    .execute();
  return rows.map((r) => ({ ...r, eal: Number(r.eal), booked: Number(r.booked) }));
}
