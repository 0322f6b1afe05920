import { optionalEmail, optionalPhone, parseRelationship, personName } from '../validation.ts';
import { oneLine, splitAddress } from './address.ts';
import { cell, CONTACT_COLUMNS, RESTRICTION_COLUMNS, type ColumnMap, type ContactColumn } from './columns.ts';
import { clip, RowReader } from './fields.ts';
import { normaliseUpn } from './pupil-rows.ts';
import type { ContactInput, CsvRow, RestrictionSaid, RowResult } from './types.ts';

const RELATIONSHIPS = 'Mother, Father, Step-parent, Foster carer, Grandparent, Other relative, Family friend, Social worker or Other';

// Built once: building a Zod schema costs far more than using it.
const RULES = { forename: personName('contact forename'), surname: personName('contact surname') };

/** One contacts row → what it says about the carer and their link to the pupil, or every problem with it. */
export function readContactRow(row: CsvRow, columns: ColumnMap<ContactColumn>): RowResult<ContactInput> {
  const r = new RowReader();
  const get = (key: ContactColumn) => cell(row.cells, columns, key);
  const h = (key: ContactColumn) => columns.header[key] ?? CONTACT_COLUMNS.find((c) => c.key === key)!.label;

  const upn = normaliseUpn(get('pupil_upn') ?? '');
  if (upn === '') r.missing(h('pupil_upn'), "Enter the pupil's UPN");
  const given = r.zod(h('given_name'), RULES.forename, get('given_name'));
  const family = r.zod(h('family_name'), RULES.surname, get('family_name'));
  const relationshipRaw = get('relationship') ?? '';
  const relationship =
    relationshipRaw === '' ? (r.missing(h('relationship'), 'Enter the relationship to the pupil'), undefined) : r.choice(h('relationship'), relationshipRaw, parseRelationship, RELATIONSHIPS);

  const carer: Partial<ContactInput['carer']> = {};
  const link: Partial<ContactInput['link']> = {};
  const set = <T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined) => {
    if (value !== undefined) target[key] = value;
  };

  set(carer, 'title', r.text(h('title'), get('title'), 20));
  const emailRaw = get('email');
  if (emailRaw !== undefined) set(carer, 'email', r.zod(h('email'), optionalEmail, emailRaw));
  const mobileRaw = get('mobile');
  if (mobileRaw !== undefined) set(carer, 'mobile', r.zod(h('mobile'), optionalPhone, mobileRaw));
  readAddress(r, get, h, carer);
  const language = get('preferred_language');
  if (language) set(carer, 'preferred_language', r.text(h('preferred_language'), language, 60) ?? undefined);
  set(carer, 'interpreter_needed', r.yesNo(h('interpreter_needed'), get('interpreter_needed')));

  set(link, 'parental_responsibility', r.yesNo(h('parental_responsibility'), get('parental_responsibility')));
  set(link, 'lives_with_pupil', r.yesNo(h('lives_with_pupil'), get('lives_with_pupil')));
  set(link, 'may_receive_information', r.yesNo(h('may_receive_information'), get('may_receive_information')));
  set(link, 'wants_copies', r.yesNo(h('wants_copies'), get('wants_copies')));
  const priority = get('contact_priority');
  if (priority) {
    if (/^\d{1,2}$/.test(priority) && Number(priority) >= 1) link.contact_priority = Number(priority);
    else r.missing(h('contact_priority'), `${h('contact_priority')} must be a whole number from 1 to 99, not "${clip(priority)}"`);
  }

  const restrictions = restrictionsSaid(get, h);
  if (restrictions.length > 0) link.may_receive_information = 0;

  if (r.problems.length > 0 || !given || !family || !relationship || upn === '') {
    const who = [get('given_name'), get('family_name')].filter(Boolean).join(' ') + (upn ? ` (for pupil ${upn})` : '');
    return { ok: false, reject: { line: row.line, who: who.trim(), ...(upn ? { key: upn } : {}), problems: r.problems } };
  }
  return {
    ok: true,
    value: { line: row.line, pupil_upn: upn, carer: { ...carer, given_name: given, family_name: family }, link: { ...link, relationship }, restrictions },
  };
}

type Cell = (key: ContactColumn) => string | undefined;
type Header = (key: ContactColumn) => string;

/**
 * The address: its own columns (a value on several lines becomes one line, joined with commas), a
 * third line added to line 2, or one "Address" cell split into lines, town and postcode when the
 * file has no address line 1.
 */
function readAddress(r: RowReader, get: Cell, h: Header, carer: Partial<ContactInput['carer']>): void {
  const set = <K extends 'address_line1' | 'address_line2' | 'town' | 'postcode'>(key: K, value: string | null | undefined) => {
    if (value !== undefined) carer[key] = value;
  };
  const whole = get('address');
  const town = oneLine(get('town'));
  const postcode = oneLine(get('postcode'));
  if (whole && !get('address_line1')) {
    const parts = splitAddress(whole, { town: !!town, postcode: !!postcode });
    set('address_line1', r.text(h('address'), parts.address_line1 ?? '', 100));
    set('address_line2', r.text(h('address'), parts.address_line2 ?? '', 100));
    set('town', town !== undefined && town !== '' ? r.text(h('town'), town, 60) : r.text(h('address'), parts.town ?? '', 60));
    set('postcode', (postcode !== undefined && postcode !== '' ? r.text(h('postcode'), postcode, 10) : r.text(h('address'), parts.postcode ?? '', 10))?.toUpperCase());
    return;
  }
  const line3 = oneLine(get('address_line3'));
  const line2 = [oneLine(get('address_line2')), line3].filter((l) => l !== undefined && l !== '').join(', ');
  set('address_line1', r.text(h('address_line1'), oneLine(get('address_line1')), 100));
  set('address_line2', r.text(h('address_line2'), get('address_line2') === undefined && line3 === undefined ? undefined : line2, 100));
  set('town', r.text(h('town'), town, 60));
  set('postcode', r.text(h('postcode'), postcode, 10)?.toUpperCase());
}

/** Blank, N, No, False, 0, None, N/A: no restriction. Anything else says there is one. */
const SAYS_NONE = /^(n|no|false|0|none|n\/a|na|-)$/i;

/** The restriction columns this row fills in. Words beyond a plain yes are kept (safe characters only, at most 200) for the head or DSL. */
function restrictionsSaid(get: Cell, h: Header): RestrictionSaid[] {
  const said: RestrictionSaid[] = [];
  for (const { key } of RESTRICTION_COLUMNS) {
    const raw = oneLine(get(key));
    if (!raw || SAYS_NONE.test(raw)) continue;
    const words = raw
      .normalize('NFC')
      .replace(/[<>{}\\]|\p{Cc}/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    said.push({ column: h(key), says: /^(y|yes|true|1)$/i.test(words) ? null : clip(words, 200) });
  }
  return said;
}
