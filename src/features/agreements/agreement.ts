import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AgreementMeasure, Flag, LocalDate, YearGroup } from '../../db/schema.ts';
import { requiredDate } from '../../platform/calendar/typed.ts';
import { yearOrder } from '../people/index.ts';
import { MEASURES } from './measures.ts';

/**
 * The home-school agreement as plain rules over typed values (no HTTP, no SQL):
 * - which published version is current, and from which version a signature still counts (a new
 *   version asks for re-signing only when the school says the change matters);
 * - who is asked to sign (each carer who may hear about the child, separately; pupils from Year 3 up);
 * - who has not signed, by class and by group of families;
 * - when the governors' yearly review is due.
 */

export const PROMISE_SLOTS = 8;

/** Pupils from Year 3 up sign with their class teacher. */
const PUPILS_SIGN: ReadonlySet<YearGroup> = new Set<YearGroup>(['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
export function pupilSigns(year: YearGroup): boolean {
  return PUPILS_SIGN.has(year);
}

export type VersionFacts = { id: string; version: number; status: 'draft' | 'published'; asks_resigning: Flag };

/** The latest published version: the one families are shown and sign. */
export function currentVersion<V extends VersionFacts>(versions: readonly V[]): V | null {
  return versions.filter((v) => v.status === 'published').reduce<V | null>((best, v) => (!best || v.version > best.version ? v : best), null);
}

/**
 * The lowest version number a signature must be on to count: the latest published version that
 * asked for re-signing (the first version always does). Signatures on older versions stay attached
 * to them, and no longer count.
 */
export function signaturesCountFrom(versions: readonly VersionFacts[]): number | null {
  const asking = versions.filter((v) => v.status === 'published' && (v.asks_resigning === 1 || v.version === 1));
  if (asking.length === 0) return currentVersion(versions)?.version ?? null;
  return Math.max(...asking.map((v) => v.version));
}

/** Whether signatures on these version numbers count now. */
export function hasSigned(signedVersions: readonly number[], countsFrom: number | null): boolean {
  return countsFrom !== null && signedVersions.some((v) => v >= countsFrom);
}

/** One person asked to sign for one child: a carer (who may hear about the child) or the pupil. */
export type Obligation = {
  pupilId: string;
  pupilName: string;
  className: string;
  /** The year group of the child's class (null without a class): classes are listed in school order. */
  classYear: YearGroup | null;
  signer: 'carer' | 'pupil';
  carerId: string | null;
  carerName: string | null;
  signed: boolean;
  /** How the counting signature was made, when signed. */
  how: 'portal' | 'paper' | 'in_class' | null;
  groups: string[];
};

export type Tally = { name: string; due: number; signed: number };
export type SigningSummary = {
  byClass: { name: string; carers: Tally; pupils: Tally | null }[];
  byGroup: Tally[];
  carers: Tally;
  pupils: Tally;
  paper: number;
};

const pct = (t: { due: number; signed: number }) => (t.due === 0 ? null : Math.round((100 * t.signed) / t.due));
export const percentOf = pct;

/** Who has signed, by class (carers and pupils apart) and by group of families (carers' signatures). */
export function summarise(obligations: readonly Obligation[]): SigningSummary {
  const classes = new Map<string, { year: YearGroup | null; carers: Tally; pupils: Tally }>();
  const groups = new Map<string, Tally>();
  const carers: Tally = { name: 'Carers', due: 0, signed: 0 };
  const pupils: Tally = { name: 'Pupils', due: 0, signed: 0 };
  let paper = 0;
  for (const o of obligations) {
    const c = classes.get(o.className) ?? { year: o.classYear, carers: { name: 'Carers', due: 0, signed: 0 }, pupils: { name: 'Pupils', due: 0, signed: 0 } };
    classes.set(o.className, c);
    const tally = o.signer === 'carer' ? c.carers : c.pupils;
    const total = o.signer === 'carer' ? carers : pupils;
    tally.due += 1;
    total.due += 1;
    if (o.signed) {
      tally.signed += 1;
      total.signed += 1;
      if (o.how === 'paper') paper += 1;
    }
    if (o.signer !== 'carer') continue;
    for (const g of o.groups) {
      const t = groups.get(g) ?? { name: g, due: 0, signed: 0 };
      groups.set(g, t);
      t.due += 1;
      if (o.signed) t.signed += 1;
    }
  }
  return {
    // School order (Nursery, Reception, Year 1 …), not alphabetical; classes of one year group by name.
    byClass: [...classes.entries()]
      .sort(([a, x], [b, y]) => yearOrder(x.year) - yearOrder(y.year) || a.localeCompare(b))
      .map(([name, c]) => ({ name, carers: c.carers, pupils: c.pupils.due ? c.pupils : null })),
    byGroup: [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)),
    carers,
    pupils,
    paper,
  };
}

/** Obligations with classes in school order (Nursery, Reception, Year 1 …), keeping the order within each class. */
export function inSchoolOrder<O extends Pick<Obligation, 'classYear' | 'className'>>(obligations: readonly O[]): O[] {
  return [...obligations].sort((a, b) => yearOrder(a.classYear) - yearOrder(b.classYear) || a.className.localeCompare(b.className));
}

/** The groups of families a carer's signature is counted in. */
export function familyGroups(p: { homeLanguage: string | null; eal: Flag; send: 'none' | 'sen_support' | 'ehcp'; carerHasEmail: boolean; paperCopies: Flag }): string[] {
  const groups = [`Home language: ${p.homeLanguage?.trim() || 'English'}`];
  if (p.eal === 1) groups.push('English as an additional language');
  if (p.send !== 'none') groups.push('Special educational needs (SEND)');
  if (!p.carerHasEmail || p.paperCopies === 1) groups.push('Paper only (no email, or asked for paper)');
  return groups;
}

/** The governors' review: yearly from the last one; shown on the head's home page from a month before. */
export type ReviewDue = { dueOn: LocalDate | null; state: 'never' | 'overdue' | 'soon' | 'done' };
export function reviewDue(lastReviewedOn: LocalDate | null, today: LocalDate): ReviewDue {
  if (!lastReviewedOn) return { dueOn: null, state: 'never' };
  const dueOn = DateTime.fromISO(lastReviewedOn).plus({ years: 1 }).toISODate()!;
  if (today >= dueOn) return { dueOn, state: 'overdue' };
  if (today >= DateTime.fromISO(dueOn).minus({ days: 30 }).toISODate()!) return { dueOn, state: 'soon' };
  return { dueOn, state: 'done' };
}

/** Lines of a text block (one item a line), blanks dropped. */
export function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** A block of the agreement's text as written for a translation: a paragraph of lines, or a bulleted list. */
export type TextBlock = { kind: 'paragraph'; lines: string[] } | { kind: 'list'; items: string[] };

/** A line written as an item of a list: "- ", "– ", "• " or "* " at its start. */
const ITEM = /^\s*[-–•*]\s+(\S.*)$/;

/**
 * The agreement's plain text (as `agreementText` writes it, and translators copy it) in blocks:
 * paragraphs split at blank lines, and runs of lines starting "- " made into lists, so pages show
 * bullets rather than dashes. Only text comes back: pages escape it as they show it.
 */
export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    let last: TextBlock | null = null;
    for (const raw of paragraph.split('\n')) {
      const line = raw.trimEnd();
      if (line.trim() === '') continue;
      const item = ITEM.exec(line);
      if (item) {
        if (last?.kind !== 'list') blocks.push((last = { kind: 'list', items: [] }));
        last.items.push(item[1]!.trim());
      } else {
        if (last?.kind !== 'paragraph') blocks.push((last = { kind: 'paragraph', lines: [] }));
        last.lines.push(line.trim());
      }
    }
  }
  return blocks;
}

const measureKeys = Object.keys(MEASURES) as [AgreementMeasure, ...AgreementMeasure[]];

/** The draft form: title, up to eight promises each with an evidence measure (or none), and the two lists. */
export const VersionForm = z
  .object({
    title: z.string({ error: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'The title must be 150 characters or fewer'),
    carers_text: z.string({ error: 'Enter what the school asks of carers' }).trim().min(1, 'Enter what the school asks of carers').max(5000, 'This must be 5,000 characters or fewer'),
    pupils_text: z.string({ error: 'Enter what the school asks of pupils' }).trim().min(1, 'Enter what the school asks of pupils').max(5000, 'This must be 5,000 characters or fewer'),
    ...Object.fromEntries(
      Array.from({ length: PROMISE_SLOTS }, (_, i) => [
        [`promise_${i + 1}`, z.string().trim().max(500, 'A promise must be 500 characters or fewer').optional().default('')],
        [
          `measure_${i + 1}`,
          z
            .union([z.enum(measureKeys), z.literal('')], { error: 'Choose a measure from the list' })
            .optional()
            .default(''),
        ],
      ]).flat(),
    ),
  })
  .transform((v, ctx): { title: string; carers_text: string; pupils_text: string; promises: { text: string; measure: AgreementMeasure | null }[] } => {
    const all = v as unknown as Record<string, string>;
    const promises: { text: string; measure: AgreementMeasure | null }[] = [];
    for (let i = 1; i <= PROMISE_SLOTS; i++) {
      const text = all[`promise_${i}`] ?? '';
      const measure = (all[`measure_${i}`] ?? '') as AgreementMeasure | '';
      if (text === '' && measure !== '') ctx.addIssue({ code: 'custom', path: [`promise_${i}`], message: 'Write the promise this measure is for, or choose “No measure”' });
      if (text !== '') promises.push({ text, measure: measure === '' ? null : measure });
    }
    if (promises.length === 0) ctx.addIssue({ code: 'custom', path: ['promise_1'], message: 'Write at least one thing the school will do' });
    return { title: all.title!, carers_text: all.carers_text!, pupils_text: all.pupils_text!, promises };
  });
export type VersionInput = z.output<typeof VersionForm>;

export const PublishForm = z.object({
  asks_resigning: z.enum(['yes', 'no'], { error: 'Say whether families need to sign this version again' }),
  change_note: z.string().trim().max(1000, 'What changed must be 1,000 characters or fewer').optional().default(''),
});

export const SignForm = z.object({
  agree: z.literal('yes', { error: 'Tick the box to say you agree' }),
  pupil_ids: z.union([z.string(), z.array(z.string())], { error: 'Choose the children you are signing for' }).transform((v) => [v].flat().filter((x) => x !== '')),
});

export const PaperForm = z.object({
  carer: z.string({ error: 'Choose who signed the paper copy' }).trim().min(1, 'Choose who signed the paper copy'),
  signed_on: requiredDate('Enter the date on the paper copy'),
});

export const PupilSignForm = z.object({
  signed_on: requiredDate('Enter the date the pupil signed'),
});

export const ReviewForm = z.object({
  reviewed_on: requiredDate('Enter the date of the review'),
  reviewers: z.string({ error: 'Enter who reviewed the agreement' }).trim().min(1, 'Enter who reviewed the agreement').max(300, 'Who reviewed must be 300 characters or fewer'),
  minutes: z.string({ error: 'Enter the minutes of the review' }).trim().min(1, 'Enter the minutes of the review').max(10_000, 'The minutes must be 10,000 characters or fewer'),
  changes: z.string().trim().max(5000, 'The changes must be 5,000 characters or fewer').optional().default(''),
});
