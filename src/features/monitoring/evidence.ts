import type { EvidenceCounts } from './evidence-queries.ts';
import { FEWER_THAN, SMALL, shown } from './figures.ts';
import type { EveningPupil } from './evidence-queries.ts';
import { pupilMember, PUPIL_GROUP_LABELS, shareByGroup } from '../people/index.ts';

/**
 * "How well we work with families": the school's own records, one school year, set against the
 * questions good schools ask themselves (seed 004's "Questions for reflection and action", seed 003's
 * cornerstones, seed 001's "what evidence do you have?"). One section per part of the work the
 * mission names: keeping families informed, meeting them and following up, preparing difficult
 * meetings, listening, complaints, agreements, belonging. Plain functions; no SQL, no HTTP.
 *
 * Figures that could point at a handful of families in difficulty (meetings marked possibly difficult,
 * and the concerns and complaints figures, which report.ts hides the same way) are hidden outside the
 * case team (governors): a count from 1 to 4 is "fewer than 5", and "n of N" is shown only when neither
 * n nor N − n is from 1 to 4. Counts of messages, meetings, events and answers name nobody: shown as
 * they are.
 */
/** One figure, with a value per column (school years, oldest first). */
export type Figure = { label: string; values: string[]; note?: string };
/** A link to the records behind a section, by the route it opens (shown only to those it lets in). */
export type EvidenceLink = { text: string; route: string; href: string };
export type EvidenceSection = { id: string; title: string; question: string; figures: Figure[]; links: EvidenceLink[] };
/** What the concerns and complaints figures (report.ts) say for the year, as they are shown there. */
export type ConcernFigures = { takenOnInTime: string; answeredInTime: string; acknowledgeDays: number; respondDays: number; complaints: string; upheld: string; partlyUpheld: string };

/** Nothing to count yet (no messages sent, no meeting held). */
export const NOTHING_YET = '–';

export function count(n: number, exact: boolean): string {
  return String(shown(n, exact));
}

/** "n of N (p%)", or as much of it as the reader may see. */
export function share(n: number, of: number, exact: boolean): string {
  if (of === 0) return NOTHING_YET;
  if (!exact) {
    if (of < SMALL) return `${FEWER_THAN} in all`;
    if (n > 0 && n < SMALL) return `${FEWER_THAN} of ${of}`;
    if (of - n > 0 && of - n < SMALL) return `all but ${FEWER_THAN} of ${of}`;
  }
  return `${n} of ${of} (${percent(n, of)}%)`;
}

/** A whole percentage that never says 100 when one is missing, nor 0 when one is there. */
export function percent(n: number, of: number): number {
  const p = Math.round((n / of) * 100);
  if (n < of && p === 100) return 99;
  if (n > 0 && p === 0) return 1;
  return p;
}

/** The sections for several school years side by side (each year's counts and concerns figures). */
export function evidenceSections(years: { counts: EvidenceCounts; concerns: ConcernFigures }[], exact: boolean): EvidenceSection[] {
  const [first, ...rest] = years.map((y) => yearSections(y.counts, y.concerns, exact));
  if (!first) return [];
  // The same sections and figures each year (labels from the latest, whose limits are the school's now).
  const latest = rest[rest.length - 1] ?? first;
  return latest.map((section, i) => ({
    ...section,
    links: dedupe([first, ...rest].flatMap((y) => y[i]!.links)),
    figures: section.figures.map((f, j) => ({ ...f, values: [first, ...rest].map((y) => y[i]!.figures[j]?.values[0] ?? NOTHING_YET) })),
  }));
}

function dedupe(links: EvidenceLink[]): EvidenceLink[] {
  return links.filter((l, i) => links.findIndex((o) => o.href === l.href) === i);
}

function yearSections(c: EvidenceCounts, concerns: ConcernFigures, exact: boolean): EvidenceSection[] {
  const n = (x: number) => String(x);
  const of = (x: number, y: number) => share(x, y, true);
  const sensitive = { n: (x: number) => count(x, exact), of: (x: number, y: number) => share(x, y, exact) };
  const { messages: m, evenings: e, meetings: mt, listening: l, agreements: a, belonging: b } = c;
  return [
    {
      id: 'informed',
      title: 'Keeping every family informed',
      question: 'Do we use language that everyone will understand?',
      figures: [
        { label: 'Messages sent', values: [n(m.sent)] },
        {
          label: 'Carers who read at least one',
          values: [of(m.carersRead, m.carersSent)],
          note: 'Of the carers sent a message they could read online (in Gatepost, by email, or a text with a link): opened in Gatepost or from the email. A paper copy or an urgent text cannot tell us it was read, so carers who only got those are not counted.',
        },
        {
          label: 'Sent to carers who read another language, with a checked translation in it',
          values: [of(m.otherLanguageInIt, m.otherLanguage)],
          note: 'Each message to each carer whose language is not English.',
        },
      ],
      links: [
        { text: 'Families we have not reached', route: '/reach/not-reached', href: '/reach/not-reached' },
        { text: 'Messages', route: '/messages', href: '/messages' },
      ],
    },
    {
      id: 'meeting',
      title: 'Meeting families, and following up',
      question: 'Do we give parents time to follow up on anything they have misunderstood?',
      figures: [
        { label: 'Parents’ evenings held', values: [n(e.held)] },
        { label: 'Pupils whose family booked an appointment', values: [of(e.pupilsBooked, e.pupilsInvited)], note: 'Each evening’s pupils: those in the classes it was for.' },
        { label: 'Other meetings held', values: [n(mt.held)], note: 'Appointments, home visits, inductions and the like.' },
        {
          label: 'Followed up in writing, with actions and a date',
          values: [of(mt.followedUp, mt.held)],
          note: 'The family was sent the summary, what each side agreed to do, and when to meet again.',
        },
        { label: 'Actions done by their date', values: [of(mt.actionsDoneInTime, mt.actionsDue)], note: 'The school’s and the families’ actions due so far this year.' },
      ],
      links: [
        { text: 'Parents’ evenings', route: '/evenings', href: '/evenings' },
        { text: 'Meetings', route: '/meetings', href: '/meetings' },
      ],
    },
    {
      id: 'difficult',
      title: 'Difficult meetings, prepared safely',
      question: 'When a conversation may be hard, do we plan it so that everyone is safe?',
      figures: [
        { label: 'Meetings marked possibly difficult', values: [sensitive.n(mt.difficult)], note: 'Arranged in the year, held or still to come.' },
        { label: 'With a safety plan: a colleague named, a clear way out, the head told', values: [sensitive.of(mt.difficultPlanned, mt.difficult)] },
      ],
      links: [{ text: 'Meetings', route: '/meetings', href: '/meetings' }],
    },
    {
      id: 'listening',
      title: 'Listening, and acting on what we hear',
      question: 'Do we really listen to parents? How do we know?',
      figures: [
        { label: 'Surveys', values: [n(l.surveys)] },
        { label: 'Of those invited, answered', values: [of(l.answered, l.invited)], note: 'Carers and staff, each person once.' },
        { label: 'Policy consultations closed', values: [n(l.consultations)] },
        { label: 'With a “You said, we did” page', values: [of(l.youSaidWeDid, l.consultations)] },
        { label: 'Comments on policies', values: [n(l.comments)] },
        { label: `Concerns taken on within ${concerns.acknowledgeDays} school days`, values: [concerns.takenOnInTime] },
        { label: `Concerns answered within ${concerns.respondDays} school days`, values: [concerns.answeredInTime] },
      ],
      links: [
        ...l.followUps.map((s) => ({ text: `Before and after: ${s.title}`, route: '/surveys/:surveyId/comparison', href: `/surveys/${s.id}/comparison` })),
        { text: 'Surveys', route: '/surveys', href: '/surveys' },
        { text: 'Policies and consultations', route: '/policies', href: '/policies' },
      ],
    },
    {
      id: 'complaints',
      title: 'Formal complaints, handled fairly',
      question: 'Are complaints investigated by someone independent, within our own time limits?',
      figures: [
        { label: 'Formal complaints', values: [concerns.complaints] },
        { label: 'Upheld', values: [concerns.upheld] },
        { label: 'Partly upheld', values: [concerns.partlyUpheld] },
      ],
      links: [{ text: 'Concerns and complaints in figures', route: '/monitoring/complaints', href: '/monitoring/complaints' }],
    },
    {
      id: 'agreements',
      title: 'Agreements and profiles',
      question: 'How well do we explain our expectations?',
      figures: [
        {
          label: 'Pupils whose family signed the home-school agreement',
          values: [a.hasAgreement ? of(a.carerSigned, a.pupils) : NOTHING_YET],
          note: 'The agreement in use at the end of the year (or today), “–” before one was published; pupils on roll then.',
        },
        { label: 'Pupils who signed it themselves', values: [a.hasAgreement ? of(a.pupilSigned, a.pupils) : NOTHING_YET] },
        { label: 'Pupil profiles with the family’s own words', values: [of(a.profilesWithFamilyWords, a.profiles)] },
        { label: 'Pupil profiles reviewed in the year', values: [of(a.profilesReviewed, a.profiles)] },
      ],
      links: [
        { text: 'How well we kept our promises', route: '/agreements/evidence', href: '/agreements/evidence' },
        { text: 'Pupil profiles', route: '/profiles', href: '/profiles' },
      ],
    },
    {
      id: 'belonging',
      title: 'Welcome and belonging',
      question: 'Do we draw in the families we do not see regularly in school?',
      figures: [
        { label: 'Events held', values: [n(b.events)] },
        { label: 'Families who came to at least one', values: [n(b.familiesCame)], note: 'From the registers taken at each event.' },
        { label: 'Of them, at an event for the first time', values: [of(b.firstTime, b.familiesCame)] },
        { label: 'New families matched with a buddy family, both agreeing', values: [n(b.buddies)] },
        { label: 'Volunteers approved', values: [n(b.volunteersApproved)] },
      ],
      links: [
        { text: 'Who came to events', route: '/events/attendance', href: '/events/attendance' },
        { text: 'Belonging', route: '/community', href: '/community' },
        { text: 'Volunteering', route: '/volunteering', href: '/volunteering' },
      ],
    },
  ];
}

/** One group's row: how many of its pupils were at an evening, and the share whose family booked. */
export type GroupFigure = { group: string; pupils: string; booked: string };

/**
 * Parents' evenings by group of pupils, for the year asked (DOMAIN: engaging only some families widens
 * gaps): for all pupils, each year group, home language, SEND and EAL, the pupils at the evenings and
 * how many of them had an appointment booked. A group can be a handful of children, so outside the
 * case team the share is given as `share` gives it (no "n of N" that would point at 1 to 4 families).
 */
export function eveningsByGroup(pupils: readonly EveningPupil[], exact: boolean): GroupFigure[] {
  return shareByGroup(
    pupils.map((p) => pupilMember(p, p.booked === 1)),
    PUPIL_GROUP_LABELS,
  ).map((g) => ({ group: g.group, pupils: count(g.of, true), booked: share(g.counted, g.of, exact) }));
}
