import type { FileProblem, ImportKind } from './types.ts';

/**
 * The columns each file may have, with the header spellings records systems use (SIMS, Arbor,
 * Bromcom, Scholarpack…). Headers are compared ignoring case, spaces and punctuation, so
 * 'Date of Birth', 'DATE_OF_BIRTH' and 'date-of-birth' are one column. When a file has two
 * spellings of one column, the one listed first here wins. docs/import.md lists the same.
 */
export type ColumnDef = { key: string; label: string; variants: readonly string[]; required?: boolean; note: string };

export const PUPIL_COLUMNS = [
  { key: 'upn', label: 'UPN', variants: ['UPN', 'Unique Pupil Number', 'Pupil UPN'], required: true, note: '13 characters, like A123456789012. Matches the pupil on re-import.' },
  { key: 'given_name', label: 'Legal Forename', variants: ['Legal Forename', 'Legal First Name', 'Forename', 'First Name', 'Given Name'], required: true, note: 'Up to 100 characters.' },
  { key: 'family_name', label: 'Legal Surname', variants: ['Legal Surname', 'Legal Last Name', 'Surname', 'Last Name', 'Family Name'], required: true, note: 'Up to 100 characters.' },
  {
    key: 'preferred_name',
    label: 'Preferred Forename',
    variants: ['Preferred Forename', 'Preferred Name', 'Preferred First Name', 'Known As'],
    note: 'Left empty when the same as the legal forename.',
  },
  { key: 'date_of_birth', label: 'Date of Birth', variants: ['Date of Birth', 'DOB', 'Birth Date'], required: true, note: '27/03/2019 or 2019-03-27; not in the future.' },
  {
    key: 'year_group',
    label: 'Year Group',
    variants: ['Year Group', 'Year', 'NC Year', 'Year Taught In', 'National Curriculum Year'],
    required: true,
    note: 'N or Nursery, R or Reception, 1 to 13 (Year 3, Y3 and 3 all work).',
  },
  { key: 'class_name', label: 'Reg Group', variants: ['Reg Group', 'Registration Group', 'Class', 'Form', 'Tutor Group'], note: 'A class that does not exist yet is created.' },
  { key: 'send_status', label: 'SEN Status', variants: ['SEN Status', 'SEN', 'SEN Provision', 'SEND Status'], note: 'N (none), K (SEN support), E (EHC plan), or the words.' },
  { key: 'eal', label: 'EAL', variants: ['EAL', 'English as an Additional Language'], note: 'Y/N, or "English" / "Other than English".' },
  { key: 'home_language', label: 'Home Language', variants: ['Home Language', 'First Language', 'Language'], note: 'As the records system names it.' },
] as const satisfies readonly ColumnDef[];

/**
 * Columns that say a court order or other restriction applies to a contact. Any value but blank,
 * N, No, False, 0, None or N/A means yes. Such a contact gets no access and no mail about that pupil:
 * the import records a restriction in force for the head or DSL to complete (see plan-contacts.ts).
 */
const RESTRICTION_NOTE = 'Y, or words such as "Prohibited steps order": the contact gets no access or mail about this pupil, and a restriction is recorded for the head or DSL to complete.';
export const RESTRICTION_COLUMNS = [
  { key: 'court_order', label: 'Court Order', variants: ['Court Order', 'Court Orders', 'Court Order In Place', 'Has Court Order', 'Court Order Details', 'Legal Order'], note: RESTRICTION_NOTE },
  {
    key: 'no_contact',
    label: 'No Contact',
    variants: ['No Contact', 'Do Not Contact', 'No Contact Allowed', 'Contact Not Allowed', 'Contact Restricted', 'Contact Restriction', 'Restricted Contact'],
    note: RESTRICTION_NOTE,
  },
  {
    key: 'pr_restricted',
    label: 'Parental Responsibility Restricted',
    variants: ['Parental Responsibility Restricted', 'PR Restricted', 'Restricted Parental Responsibility', 'Legal Restriction', 'Legal Restrictions', 'Access Restricted', 'Restricted Access'],
    note: RESTRICTION_NOTE,
  },
] as const satisfies readonly ColumnDef[];
export type RestrictionColumn = (typeof RESTRICTION_COLUMNS)[number]['key'];

export const CONTACT_COLUMNS = [
  { key: 'pupil_upn', label: 'Pupil UPN', variants: ['Pupil UPN', 'UPN', 'Unique Pupil Number'], required: true, note: 'The UPN of a pupil in the school or in the pupils file.' },
  { key: 'title', label: 'Title', variants: ['Title', 'Contact Title'], note: 'Mrs, Mr, Dr…' },
  { key: 'given_name', label: 'Contact Forename', variants: ['Contact Forename', 'Contact First Name', 'Forename', 'First Name'], required: true, note: 'Up to 100 characters.' },
  { key: 'family_name', label: 'Contact Surname', variants: ['Contact Surname', 'Contact Last Name', 'Surname', 'Last Name'], required: true, note: 'Up to 100 characters.' },
  {
    key: 'relationship',
    label: 'Relationship',
    variants: ['Relationship', 'Relationship to Pupil', 'Relation'],
    required: true,
    note: 'Mother, Father, Step-father, Foster carer, Grandmother, Aunt, Social worker…',
  },
  {
    key: 'parental_responsibility',
    label: 'Parental Responsibility',
    variants: ['Parental Responsibility', 'Has Parental Responsibility', 'PR'],
    note: 'Y/N. When not stated: yes for a mother or father, no for others.',
  },
  { key: 'lives_with_pupil', label: 'Lives With Pupil', variants: ['Lives With Pupil', 'Resides With Pupil', 'Lives With', 'Same Address'], note: 'Y/N. When not stated: no.' },
  { key: 'contact_priority', label: 'Priority', variants: ['Priority', 'Contact Priority', 'Priority Order'], note: "1, 2, 3… When not stated: the order of the pupil's contacts in the file." },
  { key: 'email', label: 'Email', variants: ['Email', 'Email Address', 'E-mail', 'Contact Email'], note: 'A valid email address, or empty.' },
  { key: 'mobile', label: 'Mobile', variants: ['Mobile', 'Mobile Phone', 'Mobile Number', 'Telephone', 'Phone'], note: 'A UK or international number, or empty.' },
  { key: 'address_line1', label: 'Address Line 1', variants: ['Address Line 1', 'Address 1', 'Street'], note: 'A value on several lines is kept, its lines joined with commas.' },
  { key: 'address_line2', label: 'Address Line 2', variants: ['Address Line 2', 'Address 2', 'Locality'], note: '' },
  { key: 'address_line3', label: 'Address Line 3', variants: ['Address Line 3', 'Address 3'], note: 'Added to address line 2.' },
  { key: 'town', label: 'Town', variants: ['Town', 'Town/City', 'City'], note: '' },
  { key: 'postcode', label: 'Postcode', variants: ['Postcode', 'Post Code', 'Postal Code'], note: '' },
  {
    key: 'address',
    label: 'Address',
    variants: ['Address', 'Full Address', 'Home Address', 'Postal Address', 'Contact Address'],
    note: 'The whole address in one cell, on several lines or split by commas: used when there is no address line 1. The postcode and town are taken from its end.',
  },
  { key: 'preferred_language', label: 'Preferred Language', variants: ['Preferred Language', 'Language', 'Home Language'], note: 'When not stated: English for a new carer, unchanged for others.' },
  { key: 'interpreter_needed', label: 'Interpreter Required', variants: ['Interpreter Required', 'Interpreter Needed', 'Interpreter'], note: 'Y/N.' },
  {
    key: 'may_receive_information',
    label: 'Receives Correspondence',
    variants: ['Receives Correspondence', 'May Receive Information', 'Correspondence', 'Receives Information'],
    note: 'Y/N. When not stated: yes for anyone with parental responsibility or who lives with the pupil (DfE guidance: foster carers, grandparents raising a child), no for others.',
  },
  { key: 'wants_copies', label: 'Wants Copies', variants: ['Wants Copies', 'Copy Correspondence', 'Receives Copies'], note: 'Y/N: copies of letters for a parent who lives apart.' },
  ...RESTRICTION_COLUMNS,
] as const satisfies readonly ColumnDef[];

export type PupilColumn = (typeof PUPIL_COLUMNS)[number]['key'];
export type ContactColumn = (typeof CONTACT_COLUMNS)[number]['key'];

export const COLUMNS: Record<ImportKind, readonly ColumnDef[]> = { pupils: PUPIL_COLUMNS, contacts: CONTACT_COLUMNS };

/** Where each known column is in the file, and the header as the file spells it (for messages). */
export type ColumnMap<K extends string> = {
  index: Partial<Record<K, number>>;
  header: Partial<Record<K, string>>;
  /** Columns in the file that Gatepost does not use (shown on the dry run, not an error). */
  unused: string[];
};

/** 'Date of Birth', 'DATE_OF_BIRTH', 'date-of-birth' → 'dateofbirth'. Letters in any script are kept. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function mapColumns<K extends string>(kind: ImportKind, header: readonly string[]): { ok: true; columns: ColumnMap<K> } | FileProblem {
  const defs = COLUMNS[kind];
  const normalised = header.map(normaliseHeader);
  const index: Partial<Record<string, number>> = {};
  const names: Partial<Record<string, string>> = {};
  const used = new Set<number>();
  for (const def of defs) {
    for (const variant of def.variants) {
      const at = normalised.findIndex((h, i) => h === normaliseHeader(variant) && !used.has(i));
      if (at >= 0) {
        index[def.key] = at;
        names[def.key] = header[at];
        used.add(at);
        break;
      }
    }
  }
  const missing = defs.filter((d) => d.required && index[d.key] === undefined);
  if (missing.length > 0) {
    const list = missing.map((d) => `"${d.label}"`).join(', ');
    const found = header
      .filter((h) => h !== '')
      .slice(0, 12)
      .map((h) => `"${h}"`)
      .join(', ');
    const looksLike = (keys: string[]) => keys.some((k) => normalised.includes(k));
    const hint =
      kind === 'contacts' && looksLike(['dob', 'dateofbirth', 'yeargroup', 'ncyear'])
        ? ' This looks like a pupils file: upload it under "1. Pupils".'
        : kind === 'pupils' && looksLike(['relationship', 'contactforename', 'contactsurname'])
          ? ' This looks like a contacts file: upload it under "2. Contacts".'
          : '';
    return {
      ok: false,
      message: `The ${kind} file is missing ${missing.length === 1 ? 'a required column' : 'required columns'}: ${list}. The first line of the file must name the columns; it has ${found || 'none'}.${hint}`,
    };
  }
  const unused = header.filter((h, i) => h !== '' && !used.has(i));
  return { ok: true, columns: { index, header: names, unused } as ColumnMap<K> };
}

/** The trimmed cell for a column, or undefined when the file has no such column. */
export function cell<K extends string>(cells: readonly string[], columns: ColumnMap<K>, key: K): string | undefined {
  const at = columns.index[key];
  if (at === undefined) return undefined;
  return (cells[at] ?? '').trim();
}
