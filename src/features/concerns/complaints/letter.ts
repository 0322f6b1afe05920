import type { ComplaintOutcome, LocalDate } from '../../../db/schema.ts';
import { english, type Text } from '../../../platform/i18n/catalog.ts';
import { longDateIn, type CarerLetterIn, type SchoolWords } from '../concerns.ts';
import type { Report } from './report.ts';

/**
 * The outcome letter of a stage (issue 14, point 7): the outcome (upheld, partly, not upheld), the
 * reasons, what the school will do, and how to take it further — to the governors' panel after stage 1,
 * and to the Department for Education (maintained schools and academies alike after the school's
 * procedure is finished), with Ofsted for early-years and whole-school matters. Generated from the
 * report, then edited by a person before it is sent or printed.
 *
 * Its fixed parts (the heading, the opening, the outcome, the section headings, the way on) come from
 * the catalog (concerns/i18n), so the carer reads them in their language; what the investigation found
 * and whatever the school wrote or changed is the school's own words (SchoolWords).
 */
export type LetterFacts = {
  carerName: string;
  /** Null for a complaint from the public form (about no child): its letter goes by email (its own opening and way on, from the catalog). */
  childName: string | null;
  schoolName: string;
  receivedOn: LocalDate;
  stage: 'stage_1' | 'stage_2';
  outcome: ComplaintOutcome;
  report: Report;
  officerName: string;
  schoolType: 'maintained' | 'academy';
  earlyYears: boolean;
  panelStageLabel: string | null;
  escalateWithinDays: number;
};

/** A fixed part of the letter, written in whatever words it is given. */
type Fixed = (t: Text) => string;

function fixedParts(f: LetterFacts) {
  const heading: Fixed = (t) => t('concerns.letter.heading', { stage: f.stage });
  const opening: Fixed = (t) =>
    f.childName === null
      ? t('concerns.letter.openingPublic', { date: longDateIn(t.code, f.receivedOn), officer: f.officerName })
      : t('concerns.letter.opening', { child: f.childName, date: longDateIn(t.code, f.receivedOn), officer: f.officerName });
  const outcome: Fixed = (t) => t('concerns.letter.outcome', { outcome: f.outcome });
  const found: Fixed = (t) => t('concerns.letter.found');
  const why: Fixed = (t) => t('concerns.letter.whyOutcome');
  const willDo: Fixed = (t) => t('concerns.letter.willDo');
  const next: Fixed[] =
    f.stage === 'stage_1' && f.panelStageLabel
      ? [
          // A public complainant has no Gatepost account: they reply to the email.
          (t) => t(f.childName === null ? 'concerns.letter.nextStagePublic' : 'concerns.letter.nextStage', { stage: f.panelStageLabel, days: f.escalateWithinDays }),
        ]
      : [(t) => t('concerns.letter.end'), (t) => t(f.schoolType === 'academy' ? 'concerns.letter.dfeAcademy' : 'concerns.letter.dfeMaintained')];
  const ofsted: Fixed[] = f.earlyYears ? [(t) => t('concerns.letter.ofsted')] : [];
  return { heading, opening, outcome, found, why, willDo, wayOn: [...next, ...ofsted] };
}

/** The draft the case lead edits: in English, as it is printed and kept on the case. */
export function outcomeLetter(f: LetterFacts, t: Text = english): string {
  const p = fixedParts(f);
  return [
    t('concerns.email.dear', { name: f.carerName }),
    '',
    p.heading(t),
    '',
    p.opening(t),
    '',
    p.outcome(t),
    '',
    p.found(t),
    f.report.what_happened,
    '',
    p.why(t),
    f.report.how_handled,
    '',
    p.willDo(t),
    f.report.resolved,
    '',
    ...p.wayOn.flatMap((l) => [l(t), '']),
    'Yours sincerely,',
    f.schoolName,
  ].join('\n');
}

/**
 * The letter as edited, for the carer: each paragraph (or a paragraph's first line, a heading) that
 * is still a fixed part as generated is written in the reader's words; anything else is the school's
 * own words. The greeting and the signature are the email's own.
 */
export function outcomeLetterIn(f: LetterFacts, edited: string, schoolName: string): CarerLetterIn {
  const p = fixedParts(f);
  const fixed = new Map<string, Fixed>([p.heading, p.opening, p.outcome, p.found, p.why, p.willDo, ...p.wayOn].map((part) => [part(english), part]));
  const paragraphs = edited
    .split(/\n{2,}/)
    .map((para) => para.trim())
    .filter((para) => para && !/^Dear /.test(para) && !/^Yours sincerely/.test(para) && para !== schoolName);
  return (t) => ({
    subject: p.heading(t),
    lines: paragraphs.flatMap((para): (string | SchoolWords)[] => {
      const whole = fixed.get(para);
      if (whole) return [whole(t)];
      const [first, ...rest] = para.split('\n');
      const heading = fixed.get(first!.trim());
      if (heading) return [heading(t), { schoolWrote: rest.join('\n').trim() }];
      return [{ schoolWrote: para }];
    }),
    sms: t('concerns.letter.sms', { school: schoolName, subject: p.heading(t) }),
  });
}

export type DateLine = { label: string; on: LocalDate | null };
