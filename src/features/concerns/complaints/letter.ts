import type { ComplaintOutcome, LocalDate } from '../../../db/schema.ts';
import { OUTCOME_LABELS, type Report } from './report.ts';

/**
 * The outcome letter of a stage (issue 14, point 7): the outcome (upheld, partly, not upheld), the
 * reasons, what the school will do, and how to take it further — to the governors' panel after stage 1,
 * and to the Department for Education (maintained schools and academies alike after the school's
 * procedure is finished), with Ofsted for early-years and whole-school matters. Generated from the
 * report, then edited by a person before it is sent or printed.
 */
export type LetterFacts = {
  carerName: string;
  childName: string;
  schoolName: string;
  receivedOn: string;
  stage: 'stage_1' | 'stage_2';
  outcome: ComplaintOutcome;
  report: Report;
  officerName: string;
  schoolType: 'maintained' | 'academy';
  earlyYears: boolean;
  panelStageLabel: string | null;
  escalateWithinDays: number;
};

export function outcomeLetter(f: LetterFacts): string {
  const heading = f.stage === 'stage_1' ? 'The outcome of your formal complaint' : 'The governors’ panel’s decision on your complaint';
  const next =
    f.stage === 'stage_1' && f.panelStageLabel
      ? [
          `If you are not satisfied, you may ask for your complaint to go to the next stage (${f.panelStageLabel}). Please tell us within ${f.escalateWithinDays} school days of this letter, through Gatepost or in writing to the clerk to the governors.`,
        ]
      : [
          'This is the end of the school’s complaints procedure.',
          f.schoolType === 'academy'
            ? 'If you believe the school did not follow its procedure, you may contact the Department for Education at www.gov.uk/complain-to-dfe.'
            : 'If you believe the school acted unlawfully or unreasonably, or did not follow its procedure, you may contact the Department for Education at www.gov.uk/complain-to-dfe.',
        ];
  const ofsted = f.earlyYears ? ['As the complaint is about the early years, you may also contact Ofsted (0300 123 1231) about whether the school meets the early years requirements.'] : [];
  return [
    `Dear ${f.carerName},`,
    '',
    heading,
    '',
    `Thank you for your complaint about ${f.childName}, which we received on ${f.receivedOn}. ${f.officerName}, who is not connected with the matter, investigated it.`,
    '',
    `Outcome: ${OUTCOME_LABELS[f.outcome]}.`,
    '',
    'What we found',
    f.report.what_happened,
    '',
    'Why we reached this outcome',
    f.report.how_handled,
    '',
    'What we will do',
    f.report.resolved,
    '',
    ...[...next, ...ofsted].flatMap((l) => [l, '']),
    'Yours sincerely,',
    f.schoolName,
  ].join('\n');
}

export type DateLine = { label: string; on: LocalDate | null };
